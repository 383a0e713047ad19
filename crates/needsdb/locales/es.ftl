site-name = needsdb
site-tagline = Necesidades humanitarias y médicas, promesas de contribución y entregas
skip-to-content = Ir al contenido principal
language = Idioma
nav-overview = Panorama
nav-needs = Necesidades
nav-new-need = Notificar una necesidad
nav-contributions = Contribuciones
nav-sign-in = Iniciar sesión
nav-sign-out = Cerrar sesión
nav-password = Cambiar la contraseña
signed-in-as = Sesión iniciada como { $email } ({ $role })
error-prefix = Error:
error-summary = Hay un problema
footer-api = Referencia de la API
footer-note = Las cifras cuentan las necesidades validadas. Las fronteras y los nombres no implican juicio alguno de las Naciones Unidas ni de needsdb.
role-admin = administrador
role-secretariat = secretaría
role-focal_point = punto focal
role-partner = asociado
role-viewer = lector
overview-title = Lo que aún se necesita
overview-intro = Cobertura de las necesidades validadas notificadas por los Estados miembros. «Comprometido» cuenta las contribuciones comprometidas, enviadas, desembolsadas o entregadas.
coverage-by-country = Cobertura por Estado miembro (dólares de los Estados Unidos)
coverage-by-cluster = Cobertura por grupo temático (dólares de los Estados Unidos)
top-unmet = Necesidades críticas con mayores brechas
col-country = País
col-cluster = Grupo temático
col-item = Artículo
col-needs = Necesidades
col-needed = Necesario
col-pledged = Prometido
col-committed = Comprometido
col-delivered = Entregado
col-unmet = Sin cubrir
col-coverage = Cubierto
col-unit = Unidad
col-quantity = Cantidad
col-priority = Prioridad
col-needed-by = Para el
col-status = Estado
col-id = N.º
col-donor = Donante
col-recipient = Receptor
col-stage = Etapa
col-date = Fecha
col-note = Nota
col-who = Quién
col-version = Versión
nothing-yet = Todavía no hay nada que mostrar.
download-csv = Descargar CSV
download-xlsx = Descargar Excel
percent = { $value } %
sign-in-title = Iniciar sesión
field-email = Correo electrónico
field-password = Contraseña
button-sign-in = Iniciar sesión
error-email-missing = Introduzca su correo electrónico
error-password-missing = Introduzca su contraseña
error-sign-in-wrong = El correo electrónico o la contraseña no son correctos
error-throttled = Demasiados intentos fallidos para esta cuenta desde aquí. Vuelva a intentarlo dentro de { $seconds } segundos.
password-title = Cambiar su contraseña
password-one-time = Ha iniciado sesión con una contraseña de un solo uso. Elija su propia contraseña para continuar.
field-current-password = Contraseña actual
field-new-password = Contraseña nueva
hint-new-password = Al menos 12 caracteres. Unas cuantas palabras sin relación entre sí son fáciles de recordar.
button-change-password = Cambiar la contraseña
error-current-password-wrong = La contraseña actual no es correcta
error-new-password-short = La contraseña nueva debe tener al menos 12 caracteres
password-changed = Su contraseña se ha cambiado. Sus otras sesiones se han cerrado.
signed-out = Ha cerrado la sesión.
error-csrf = Este formulario ha caducado. Vuelva a cargar la página y envíelo de nuevo.
forbidden-title = No puede hacer esto
forbidden-text = Su cuenta no lo permite. Consulte a la secretaría si cree que debería.
not-found-title = Página no encontrada
not-found-text = No hay nada en esta dirección, o no puede verlo.
unavailable-title = El servicio está ocupado
unavailable-text = La base de datos no respondió a tiempo. Vuelva a intentarlo en un momento; no se ha perdido nada de lo que envió.
needs-title = Necesidades
filter-title = Filtrar
filter-country = País (código ISO3)
filter-cluster = Grupo temático
filter-item = Código del artículo
filter-priority = Prioridad
filter-status = Estado
filter-any = Cualquiera
button-filter = Aplicar filtros
next-page = Página siguiente
need-title = Necesidad { $id }
need-new-title = Notificar una necesidad
need-edit-title = Modificar la necesidad { $id }
field-country = País
field-item = Artículo
field-quantity = Cantidad
hint-quantity = En la unidad del artículo, por ejemplo 1200 o 12,5.
field-priority = Prioridad
field-needed-by = Para el
hint-needed-by = Como año-mes-día, por ejemplo 2027-06-30.
field-place = Lugar
hint-place = Opcional: provincia, distrito o localidad.
field-justification = Por qué se necesita
field-people-in-need = Personas necesitadas
field-people-targeted = Personas a las que llegará
field-note = Nota
hint-note = Se muestra en el historial; el punto focal ve por qué se devolvió.
button-save-draft = Guardar como borrador
button-save-submit = Guardar y enviar para validación
button-save = Guardar los cambios
button-submit = Enviar para validación
button-validate = Validar
button-return = Devolver al punto focal
button-withdraw = Retirar
need-history = Historial
need-returned = Devuelta por la secretaría: { $note }
need-coverage = Cobertura
need-actions = Lo que puede hacer
need-created = La necesidad se ha guardado.
need-updated = La necesidad se ha modificado.
need-status-changed = La necesidad está ahora: { $status }.
priority-critical = crítica
priority-high = alta
priority-medium = media
priority-low = baja
status-draft = borrador
status-submitted = enviada
status-validated = validada
status-partly_met = cubierta en parte
status-met = cubierta
status-withdrawn = retirada
error-stale = Alguien modificó este registro mientras usted lo editaba. Revise la nueva versión y vuelva a intentarlo.
pledge-title = Prometer una contribución para la necesidad { $id }
button-pledge = Registrar la promesa
field-donor = Donante
field-stage = Etapa
field-stage-date = Fecha
field-description = Descripción
contribution-title = Contribución { $id }
contribution-created = La contribución se ha registrado.
contribution-advanced = La contribución está ahora: { $stage }.
delivery-confirmed = La entrega se ha confirmado.
button-advance = Pasar a esta etapa
delivery-title = Confirmar una entrega
field-delivered-quantity = Cantidad recibida
hint-delivered-quantity = Lo que llegó realmente, aunque sea menos de lo enviado.
field-delivered-on = Recibida el
button-confirm-delivery = Confirmar la entrega
contributions-title = Contribuciones
stage-announced = anunciada
stage-pledged = prometida
stage-committed = comprometida
stage-shipped = enviada
stage-disbursed = desembolsada
stage-delivered = entregada
stage-cancelled = cancelada
outstanding = Aún sin entregar: { $quantity }
country-title = { $country }
country-needs = Necesidades y su cobertura
country-contributions = Contribuciones destinadas a: { $country }
country-deliveries = Confirmaciones de entrega
date-format = { $day } de { $month } de { $year }
month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre
err-required = Introduzca: { $field }
err-not_a_number = { $field }: introduzca un número, por ejemplo 1500 o 2,5
err-negative = { $field }: el valor no puede ser negativo
err-not_positive = { $field }: el valor debe ser mayor que cero
err-too_precise = { $field }: demasiados decimales para esta unidad
err-too_large = { $field }: el valor es demasiado grande
err-invalid_date = { $field }: escriba una fecha como año-mes-día, por ejemplo 2027-06-30
err-invalid_choice = { $field }: elija un valor de la lista
err-too_long = { $field }: el texto es demasiado largo
err-other = { $field }: { $message }
nav-inbox = Notificaciones
nav-accounts = Cuentas
inbox-title = Notificaciones y seguimiento
inbox-notices = Notificaciones
inbox-follow-up = Pendientes de seguimiento (30 días o más)
inbox-mine = Sus contribuciones
col-what = Qué
col-party = Con
col-since = Desde
col-days-waiting = Días de espera
col-outstanding = Aún sin entregar
notice-pledge = Una promesa para su necesidad
notice-need_validated = Su necesidad fue validada
notice-need_returned = Su necesidad fue devuelta
notice-need_withdrawn = Se retiró una necesidad
notice-need_submitted = Una necesidad espera validación
notice-awaiting_confirmation = Un envío espera su confirmación
notice-delivery_confirmed = Se confirmó una entrega
notice-follow_up = Pendiente de seguimiento
accounts-title = Cuentas
accounts-add = Añadir una cuenta
field-role = Función
field-org = Organización o Estado donante
hint-account-country = Para un punto focal: el código ISO3 del Estado miembro, por ejemplo KEN.
hint-account-org = Para un asociado: el código de la parte, por ejemplo WHO o IND.
button-add-account = Añadir la cuenta
one-time-shown = Contraseña de un solo uso para { $email }, que solo se muestra ahora. Entréguela a su titular por un canal seguro; deberá cambiarse en el primer inicio de sesión.
account-disabled = Desactivada
account-saved = La cuenta se modificó. El cambio rige de inmediato para cada sesión y token.
button-reset-password = Dar una nueva contraseña de un solo uso
button-disable = Desactivar la cuenta
button-enable = Reactivar la cuenta
nav-import = Subir un archivo
import-title = Subir necesidades o contribuciones
import-intro = Suba la plantilla de Excel, un archivo CSV HXL o JSON. El archivo se comprueba primero y no se guarda nada hasta que todas las filas sean correctas.
import-template = Descargar la plantilla de Excel
field-file = Archivo
hint-file = Excel (.xlsx), CSV HXL (.csv) o JSON, hasta 64 MiB.
field-decimal = Separador decimal en el archivo
hint-decimal = Cómo se escriben los números introducidos como texto. Si no lo sabe, un número que se lee de dos maneras se señala, nunca se adivina.
decimal-unknown = No lo sé
decimal-point = Un punto: 1,500.5
decimal-comma = Una coma: 1.500,5
button-check-file = Comprobar el archivo
error-file-missing = Elija un archivo para subir
error-file-too-large = El archivo supera { $size }. Divídalo o pida a un administrador que lo importe en el servidor.
error-upload-broken = La subida se interrumpió. Vuelva a intentarlo.
import-busy = Hay demasiadas importaciones en espera en este servidor. Vuelva a intentarlo en un minuto.
import-gone = Esta subida ya no está en espera. Vuelva a subir el archivo.
import-report = El archivo se ha comprobado
import-done = El archivo se ha importado
import-file = Archivo: { $file }
import-rows = Filas leídas
import-created = Registros nuevos
import-updated = Registros modificados
import-unchanged = Registros sin cambios
import-problem-count = Problemas
import-written = Se guardaron todas las filas.
import-problems = Problemas, por fila y columna
col-row = Fila
col-column = Columna
col-fix = Cómo corregirlo
import-suggestions = Nombres parecidos a uno conocido
hint-suggestions = Marque cada uno que sea correcto. Un nombre sin marcar sigue siendo un problema y no se guarda nada.
button-import = Importar el archivo
import-fix-and-upload = No se guardó nada. Corrija estas filas en su archivo y vuelva a subirlo.
filter-who-region = Región de la OMS
filter-income-group = Grupo de ingresos
filter-nam-status = Condición en el MNOAL
filter-region = Código de región M49 de la ONU
filter-needed-from = Para el, desde (año-mes-día)
filter-needed-to = Para el, a más tardar (año-mes-día)
income-low = ingreso bajo
income-lower_middle = ingreso mediano bajo
income-upper_middle = ingreso mediano alto
income-high = ingreso alto
nam-member = Estado miembro
nam-observer = Estado observador
nav-duplicates = Duplicados
duplicates-title = Contribuciones notificadas dos veces
duplicates-intro = Pares que parecen un mismo flujo: mismo donante, receptor y artículo, cantidades dentro del 5 % y primeras fechas dentro de 30 días. La fusión conserva ambos historiales; el informe fusionado deja de contar.
pair-matched_reports = el mismo flujo, notificado por ambas partes
pair-suspected_duplicate = posible duplicado
col-days-apart = Días de diferencia
button-merge = Fusionar { $duplicate } en el otro
merged = Los informes se fusionaron. Se conservan ambos historiales.
nav-catalogue = Catálogo
catalogue-title = El catálogo de artículos
catalogue-add = Añadir un artículo
field-item-code = Código del artículo
hint-item-code = Mayúsculas, dígitos y guiones, por ejemplo SHL-FAMILY-TENT.
field-name-en = Nombre en inglés
field-category = Categoría
hint-unit = Por ejemplo piece, kit, tonne o house.
field-unit-kind = Tipo de unidad
field-decimals = Decimales permitidos
field-dac-sector = Sector CAD de la OCDE
hint-dac-sector = El código de finalidad de cinco dígitos, por ejemplo 12250.
field-unit-value = Valor unitario (dólares de los Estados Unidos)
field-unit-value-source = Fuente del valor
field-unit-value-date = Fecha del valor
button-add-item = Añadir el artículo
button-retire = Retirar { $code }
item-retired = retirado
item-saved = El catálogo se modificó.
nav-allocations = Asignación
alloc-title = Repartir un suministro escaso
alloc-intro = Elija el artículo, el suministro y la regla. La vista previa muestra cada parte con su motivo y cada comprobación; no se guarda nada hasta que se guarde y comprometa una propuesta.
field-supply = Suministro
field-policy = Regla
hint-policy = population-cap reparte según la población hasta un tope, como COVAX; need-proportional según la necesidad no cubierta; max-min eleva primero a los peor atendidos; priority atiende primero las necesidades críticas.
field-eligible = Quién puede recibir
hint-eligible = nam-members, who:AFR, income:low, m49:002 o country:KEN.
field-cap = Tope (proporción de la población)
hint-cap = Solo population-cap; 0,20 por defecto.
field-buffer = Reserva humanitaria
hint-buffer = Solo population-cap: la proporción reservada; 0,05 por defecto.
field-lot = Tamaño del lote
field-min-shipment = Envío mínimo
field-earmark = Asignación específica
hint-earmark = Opcional, por ejemplo nam-members=50%.
field-supplier = Proveedor
hint-supplier = Para guardar una propuesta: la parte que suministra, por ejemplo COVAX o WHO.
button-preview = Ver las partes
button-propose = Guardar como propuesta
button-commit = Comprometer: registrar las contribuciones
alloc-result = Las partes
slider-supply = Pruebe otra cantidad disponible: las partes cambian al deslizar
alloc-allocated = Asignado
alloc-unallocated = Sin asignar
alloc-before = Cubierto antes
alloc-after = Cubierto después
alloc-reason = Por qué
alloc-checks = Comprobaciones
alloc-proposals = Propuestas
proposal-title = Propuesta { $id }
http-400 = Solicitud incorrecta
http-401 = No autenticado
http-403 = Prohibido
http-404 = No encontrado
http-409 = Conflicto
http-412 = Condición previa no cumplida
http-413 = Contenido demasiado grande
http-422 = Contenido no procesable
http-428 = Se requiere una condición previa
http-429 = Demasiadas solicitudes
http-500 = Error interno del servidor
http-503 = Servicio no disponible
evidence-title = Justificantes
field-evidence-url = Enlace
hint-evidence-url = Una dirección que empiece por https://, por ejemplo una evaluación en línea.
field-evidence-title = Qué muestra
field-evidence-file = Archivo
hint-evidence-file = Un archivo PDF, PNG o JPEG, de hasta 5 MiB: una evaluación o un albarán firmado.
button-add-link = Añadir el enlace
button-add-file = Añadir el archivo
error-evidence-file = No se pudo tomar el archivo: debe ser un PDF, PNG o JPEG de { $size } como máximo.
evidence-added = Se añadió el justificante.

# Pledging against several needs
pledge-several-title = Promesa para { $count } necesidades
field-quantity-for = Cantidad para { $need }
pledge-cannot-title = No se puede hacer esta promesa
pledge-none = Elija al menos una necesidad abierta que pueda ver.
pledge-too-many = Una promesa puede nombrar como máximo 50 necesidades.
pledge-mixed = Una promesa lleva un artículo a un país. Las necesidades elegidas son de países o artículos distintos: haga una promesa para cada uno.
col-select = Elegir
pick-need = Elegir la necesidad { $id }
pledge-several-hint = Marque necesidades de un mismo país para un mismo artículo y haga una sola promesa.
button-pledge-several = Prometer para las necesidades marcadas
upload-broken-title = No se pudo leer el archivo enviado

# Table downloads
yes = sí
no = no
col-passed = Superado
col-kept = Conservada
col-duplicate = Duplicado

# Correcting a contribution
correct-title = Corregir la contribución { $id }
correct-intro = Corrija lo prometido o enviado, la fecha y su finalidad. El donante, el receptor y el artículo no cambian: un flujo erróneo se cancela y se registra de nuevo. El historial guarda cada versión.
button-correct = Corregir esta contribución
contribution-corrected = La contribución se corrigió.
field-amount = Importe
field-source-url = Fuente (dirección web)
field-external-id = Su referencia

# Editing a catalogue item
item-edit-title = Editar { $item }
item-edit-intro = El código, la unidad y sus decimales no cambian nunca, porque las cantidades guardadas se cuentan en ellos. Un nuevo valor unitario revalúa las necesidades y los bienes estimados con él.
hint-unit-value-clear = Déjelo vacío para quitar el valor.
button-edit-item = Editar { $code }

# API tokens
tokens-title = Tokens de API
tokens-intro = Un script u otro sistema usa un token en lugar de su contraseña, enviado como «Authorization: Bearer …». Puede hacer lo que usted puede hacer. El token se muestra una sola vez; guárdelo bien y revóquelo cuando ya no se use.
token-shown-once = Su nuevo token. Solo se muestra ahora: cópielo.
tokens-add = Crear un token
tokens-yours = Sus tokens
field-token-name = Nombre
hint-token-name = Para qué sirve, por ejemplo «carga mensual del sistema de existencias».
field-token-days = Días de validez
hint-token-days = De 1 a 3650. Déjelo vacío para un token que no caduca.
button-add-token = Crear el token
col-token-start = Empieza por
col-token-expires = Caduca
token-revoked = revocado
button-revoke-token = Revocar { $name }
token-revoked-notice = El token se revocó.
nav-tokens = Tokens de API

# Allocation: within and what-if recipients
field-within = Dentro de cada prioridad, repartir por
hint-within = Solo para la regla de prioridad.
within-default = max-min (por defecto)
field-recipients = Receptores hipotéticos (CSV)
hint-recipients = Opcional. Una línea de encabezado y luego un país por línea: iso3,population,need,capacity. Sustituye al grupo elegible; las cifras omitidas vienen de la base de datos.
field-file-only = No tomar nada de la base de datos: usar solo las cifras de arriba

# Country page exports
country-exports = Todas las contribuciones a este país, para otros sistemas:
export-xlsx = Excel
export-hxl = CSV HXL
export-iati = XML IATI 2.03

# Saved searches
searches-title = Búsquedas guardadas
searches-intro = Siga en un lector de feeds las necesidades que coinciden con una búsqueda: cada nueva necesidad validada aparece allí. Guarde una búsqueda desde la lista de necesidades.
feed-shown-once = La dirección de su feed. Solo se muestra ahora: cópiela en su lector de feeds.
field-search-name = Nombre de la búsqueda
hint-search-name = Por ejemplo «oxígeno en África oriental».
button-follow-search = Guardar y seguir
col-filters = Filtros
button-forget-search = Dejar de seguir { $name }
search-forgotten = La búsqueda ya no se sigue.
nav-searches = Búsquedas guardadas
follow-search-summary = Seguir esta búsqueda en un lector de feeds

# Organisations
organisations-title = Organizaciones
organisations-add = Añadir una organización
organisations-list = Organizaciones que dan o canalizan contribuciones
field-org-code = Código
hint-org-code = Corto y único, por ejemplo UNICEF o MSF.
field-org-name = Nombre
field-org-type = Tipo
button-add-organisation = Añadir la organización
organisation-added = La organización se añadió.
nav-organisations = Organizaciones

# Audit check
audit-title = Comprobar el registro de auditoría
audit-summary = { $entries } entradas del registro comprobadas como cadena; { $records } registros comparados con el último estado que el registro guarda de ellos.
audit-intact = El registro de auditoría está intacto y cada registro coincide con él.
audit-first-bad = La entrada { $entry } no encaja en la cadena: { $reason }
audit-mismatches = Registros cambiados fuera de needsdb
col-audit-entry = Entrada del registro

## Units of measure (unit-<code>), agreeing with $count.
quantity-with-unit = { $quantity } { $unit }
unit-bridge = { $count ->
    [one] puente
   *[other] puentes
}
unit-carton = { $count ->
    [one] caja
   *[other] cajas
}
unit-course = { $count ->
    [one] tratamiento
   *[other] tratamientos
}
unit-dose = dosis
unit-facility = { $count ->
    [one] establecimiento
   *[other] establecimientos
}
unit-family = { $count ->
    [one] familia
   *[other] familias
}
unit-house = { $count ->
    [one] vivienda
   *[other] viviendas
}
unit-household = { $count ->
    [one] hogar
   *[other] hogares
}
unit-kit = { $count ->
    [one] kit
   *[other] kits
}
unit-litre = { $count ->
    [one] litro
   *[other] litros
}
unit-pair = { $count ->
    [one] par
   *[other] pares
}
unit-person = { $count ->
    [one] persona
   *[other] personas
}
unit-piece = { $count ->
    [one] pieza
   *[other] piezas
}
unit-ration = { $count ->
    [one] ración
   *[other] raciones
}
unit-school = { $count ->
    [one] escuela
   *[other] escuelas
}
unit-square_kilometre = km²
unit-system = { $count ->
    [one] sistema
   *[other] sistemas
}
unit-tablet = { $count ->
    [one] comprimido
   *[other] comprimidos
}
unit-test = { $count ->
    [one] prueba
   *[other] pruebas
}
unit-tonne = { $count ->
    [one] tonelada
   *[other] toneladas
}
unit-unit = { $count ->
    [one] unidad
   *[other] unidades
}
unit-usd = { $count ->
    [one] dólar de los EE. UU.
   *[other] dólares de los EE. UU.
}

## Contributions list, countries list, offer matching.
contributions-exports = Contribuciones a este país, para otros sistemas:
filter-donor = Donante (código)
filter-recipient = Receptor (código)
filter-channel = Canal (código)
filter-stage = Etapa
filter-kind = Tipo
filter-date-from = Etapa alcanzada desde (año-mes-día)
filter-date-to = Etapa alcanzada a más tardar el (año-mes-día)
filter-un-region = Región (ONU)
kind-in_kind = en especie
kind-cash = en efectivo
countries-title = Países y zonas
col-iso3 = Código ISO3
col-un-region = Región
col-population = Población
region-002 = África
region-019 = Américas
region-142 = Asia
region-150 = Europa
region-009 = Oceanía
nam-none = fuera del Movimiento
nav-countries = Países
nav-offers = Emparejar una oferta
offers-title = Emparejar una oferta con necesidades
offers-intro = Indique lo que puede dar. Las necesidades abiertas que podría cubrir se ordenan por prioridad, fecha y parte no cubierta, con la cantidad para cada una. Primero se descuenta lo que otros donantes ya anunciaron o prometieron.
hint-offer-country = Opcional: códigos ISO3 separados por comas.
button-match = Buscar necesidades
offers-result = Necesidades que esta oferta podría cubrir
col-need = Necesidad
col-open = Aún abierto
col-unmet-share = Parte no cubierta
col-give = A dar
col-action = Acción
pledge-this = Prometer esto a la necesidad { $id }
offers-none = Ninguna necesidad abierta corresponde a esta oferta.
item-created = creado
item-history = Cambios de este artículo
feed-of-notifications = mis notificaciones
feed-of-notifications-hint = Un lector de fuentes puede seguir sus notificaciones en una dirección secreta, que se muestra una sola vez. Figura entre sus búsquedas guardadas, donde puede detenerla.
button-follow-notifications = Seguir mis notificaciones en un lector de fuentes

## Uploads: the list, one upload, and each problem's message and fix by its code.
imports-title = Sus archivos enviados
import-job-title = Envío { $id }
import-state-queued = en espera
import-state-checking = en verificación
import-state-writing = en escritura
import-state-done = terminado
import-state-failed = fallido (no se escribió nada)
import-state-interrupted = interrumpido (no se escribió nada)
import-state-written = escrito
import-state-checked = solo verificado
import-state-refused = no escrito: el archivo tiene problemas
import-list-link = Ver sus envíos anteriores
import-msg-unknown_item = Este artículo no figura en el catálogo.
import-msg-unknown_country = Este país no es conocido.
import-msg-unknown_party = Este Estado u organización no es conocido.
import-msg-unknown_currency = No es un código de moneda.
import-msg-retired_item = Este artículo se retiró del catálogo.
import-msg-not_valued = Este efectivo no puede valorarse frente a las necesidades que financia.
import-msg-in_future = Esta fecha está en el futuro.
import-msg-in_past = Esta fecha ya pasó.
import-msg-unknown_sector = No es un código de sector del CAD.
import-msg-duplicate_external_id = Otra fila ya tiene este identificador externo.
import-msg-not_editable = El registro con este identificador externo ya no puede cambiarse desde un archivo.
import-msg-mixed_decimal_style = El archivo escribe los números de dos maneras (punto y coma decimal).
import-msg-ambiguous_number = Este número puede leerse de dos maneras (1,500 o 1.500).
import-msg-unreadable_cell = Esta celda no se puede leer.
import-msg-suggestion = «{ $written }» se parece a un nombre conocido, pero no es igual.
import-msg-no_match = Este nombre no corresponde a nada conocido.
import-fix-required = Complete el campo { $field } de esta fila.
import-fix-item = Elija un artículo de la hoja Listas de la plantilla o de la página del catálogo.
import-fix-country = Escriba el código ISO3 del país, por ejemplo KEN; la página Países los enumera.
import-fix-party = Escriba un código ISO3 o el código de una organización de la página Organizaciones.
import-fix-currency = Escriba un código ISO 4217, por ejemplo USD o EUR.
import-fix-choice = Elija uno de los valores de la lista desplegable de la plantilla para { $field }.
import-fix-number = Escriba { $field } como un número mayor que cero, por ejemplo 1500 o 2,5.
import-fix-decimals = Envíe de nuevo el archivo e indique en el formulario cómo escribe los decimales.
import-fix-not-valued = Vincule el efectivo a una necesidad financiera, o pida a la secretaría que asigne un valor unitario al artículo.
import-fix-in-future = Registre la etapa cuando se alcance.
import-fix-sector = Escriba un código de sector del CAD de cinco dígitos, por ejemplo 72010.
import-fix-too-long = Acorte { $field }.
import-fix-external-id = Dé a la fila un identificador externo propio.
import-fix-date = Escriba la fecha como año-mes-día, por ejemplo 2027-06-30, o dé a la celda formato de fecha.
import-fix-suggestion = Marque el nombre de abajo si es correcto, o escriba el código en el archivo.
import-fix-other = Corrija esta celda y envíe de nuevo el archivo.

## Correcting a contribution's channel, links and earmarks.
field-channel = Canal
hint-channel = Opcional: el código de la organización por la que pasa la contribución, por ejemplo WHO.
field-links = Necesidades que cubre
hint-links = Una necesidad por línea: el número de la necesidad, =, y la parte de esta contribución que le corresponde, por ejemplo 132=60. Déjelo vacío para no vincular ninguna.
field-earmarks = Asignaciones específicas
hint-earmarks = Una por línea: el grupo, =, y una parte o un importe, por ejemplo nam-members=50% o who:AFR=2000000.

## API problem details by kind (Accept-Language).
problem-sign-in = Inicie sesión o envíe un token de API como «Authorization: Bearer ...».
problem-wrong-password = La dirección de correo electrónico o la contraseña no son correctas.
problem-token-unknown = El token de API es desconocido, ha caducado o fue revocado.
problem-not-found = No se encontró: { $what }.
problem-no-address = No hay nada en esta dirección.
problem-method = Esta dirección no admite ese método.
problem-timeout = La solicitud tardó demasiado.
problem-internal = Algo falló en el servidor; se ha registrado.
problem-throttled = Demasiados intentos fallidos de inicio de sesión para esta cuenta desde aquí; inténtelo de nuevo en { $seconds } segundos.
problem-stale-version = Alguien cambió este registro desde que lo leyó. Léalo de nuevo y haga su cambio.
problem-if-match-required = Envíe el último ETag leído en un encabezado If-Match, para no sobrescribir el cambio de otra persona.
problem-json-only = Envíe el cuerpo en JSON, con «Content-Type: application/json».
problem-storage-full = El almacenamiento del servidor está lleno y no se escribió nada; un administrador debe liberar espacio. Inténtelo más tarde.
problem-read-only = La base de datos es de solo lectura en este momento y no se escribió nada. Inténtelo más tarde.
problem-busy = La base de datos está ocupada con otra escritura; no se escribió nada. Inténtelo en un momento.
problem-unavailable = El servidor no puede hacerlo en este momento; no se escribió nada. Inténtelo en un momento.
problem-invalid-many = { $count } campos no son válidos.

## Allocation: what-if recipients from a file.
field-recipients-file = O cargue los receptores hipotéticos desde un archivo CSV
hint-recipients-file = Las mismas columnas que arriba (iso3, population, need, capacity). El texto del archivo se coloca en el campo de arriba, para revisarlo antes de la vista previa.
button-load-recipients = Cargar el archivo
error-recipients-file = Elija un archivo CSV de { $size } como máximo
error-recipients-text = El archivo no es texto UTF-8: guárdelo desde su hoja de cálculo como CSV UTF-8

## The dashboard: map, cluster bars, series, equity, earmarks.
nav-dashboard = Panel
dashboard-title = Necesidades, entregas y equidad de un vistazo
dashboard-intro = Dónde no se cubren las necesidades, qué ha llegado y con qué equidad se repartió. Cada gráfico tiene sus cifras en una tabla.
dashboard-where = Dónde no se cubren las necesidades
dashboard-fair = Con qué equidad se repartieron las entregas
dashboard-recent = Promesas y entregas recientes
dashboard-earmarks = Asignaciones: cuánto llegó a cada grupo
measure-usd = dólares de los EE. UU.
measure-all-items = Todos los artículos, en dólares de los EE. UU.
map-title = Cobertura de las necesidades por Estado, en { $measure }
map-desc = Un mapa del mundo: cada uno de los { $count } Estados con una necesidad está coloreado según la parte cubierta, más oscuro donde menos se cubre; los Estados pequeños son círculos. La tabla de abajo tiene las cifras.
map-state-none = { $country }: ninguna necesidad contada
legend-class = { $from }–{ $to } % cubierto
legend-none = ninguna necesidad contada
map-disclaimer = Los límites y los nombres que figuran en este mapa y las denominaciones empleadas no implican su apoyo o aceptación oficial por las Naciones Unidas ni por needsdb.
table-of = Las cifras: { $what }
clusters-title = Cobertura por grupo temático, en { $measure }
clusters-desc = Para cada grupo, una barra tan larga como su necesidad: lo que llegó, lo financiado aún no llegado, lo solo prometido y lo no cubierto.
stack-delivered = llegado
stack-pipeline = financiado, en camino
stack-promised = solo prometido
stack-unmet = sin cubrir
series-heading = Mes a mes
series-title = { $item }, mes a mes: necesario, prometido, comprometido y entregado
series-desc = Cuatro líneas a lo largo de los meses: necesario (gris continuo), prometido (naranja discontinuo), comprometido (azul punteado) y entregado (verde continuo). La tabla tiene las cifras.
series-choose-item = Elija un artículo arriba para verlo mes a mes.
col-month = Mes
equity-population = parte de la población
equity-delivered = parte de las entregas
equity-shares-title = Entregas por grupo de ingresos frente a la población
equity-lorenz-title = Curva de Lorenz de las entregas por persona
equity-lorenz-desc = La parte de las entregas recibida por la parte de la población, con los Estados ordenados del menos atendido por persona al más atendido. La diagonal discontinua es una parte igual para cada persona.
equity-gini = Coeficiente de Gini: { $gini } (0 es una parte igual por persona; 1, todo para un solo Estado)
equity-sentence = Los Estados de ingreso alto recibieron el { $high_delivered } % de las entregas para el { $high_population } % de la población; los de ingreso bajo, el { $low_delivered } % para el { $low_population } %.
equity-nothing = Todavía no se ha entregado nada, así que no hay partes que comparar.
equity-counts-cash = Se cuenta: el efectivo desembolsado o entregado, en dólares de los Estados Unidos. Los bienes se cuentan artículo por artículo: elija un artículo para comparar sus entregas.
equity-counts-item = Se cuenta: { $item } entregado, en { $unit }.
equity-nothing-cash = Todavía no se ha desembolsado ni entregado efectivo, así que no hay partes que comparar. Elija un artículo para comparar las entregas de bienes.
equity-partial = Los Estados contados no incluyen a la vez Estados de ingreso alto y bajo; la tabla da las partes de cada grupo.
earmark-earmarked = Asignado
earmark-reached = Llegó al grupo
earmark-followed = cumplida
earmark-not_yet_funded = aún no financiada
earmark-cancelled = cancelada
earmark-not_valued = bienes sin valor conocido
map-state = { $country }: { $coverage } % cubierto, { $arrived } % llegado, { $unmet } { $measure } sin cubrir
map-title-arrived = Parte de la necesidad que ha llegado, por Estado, en { $measure }
legend-class-arrived = { $from }–{ $to } % llegado
field-shade = Colorear el mapa según
shade-covered = parte cubierta (financiada)
shade-arrived = parte llegada
country-chart-title = Lo que ha recibido cada necesidad de { $country }: llegado, en camino, prometido y sin cubrir, como partes de la necesidad
problem-general-forbidden = Su cuenta no puede hacer esto.
problem-general-conflict = Esto contradice lo ya registrado; no se escribió nada.
problem-general-bad-request = No se pudo leer la solicitud; no se escribió nada.
import-msg-other = Esta celda no es correcta
coverage-by-group = Cobertura por { $group }, en dólares de los EE. UU.
field-group-by = Agrupar la última tabla por
income-unclassified = sin clasificar
