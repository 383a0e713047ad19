site-name = needsdb
site-tagline = Гуманитарные и медицинские потребности, объявленные взносы и поставки
skip-to-content = Перейти к основному содержанию
language = Язык
nav-overview = Обзор
nav-needs = Потребности
nav-new-need = Сообщить о потребности
nav-contributions = Взносы
nav-sign-in = Войти
nav-sign-out = Выйти
nav-password = Сменить пароль
signed-in-as = Вы вошли как { $email } ({ $role })
error-prefix = Ошибка:
error-summary = Возникла проблема
footer-api = Справочник по API
footer-note = Цифры учитывают утверждённые потребности. Границы и названия не подразумевают выражения какого-либо мнения Организации Объединённых Наций или needsdb.
role-admin = администратор
role-secretariat = секретариат
role-focal_point = координатор
role-partner = партнёр
role-viewer = читатель
overview-title = Что ещё необходимо
overview-intro = Покрытие утверждённых потребностей, о которых сообщили государства-члены. «Выделено» учитывает взносы выделенные, отправленные, перечисленные или доставленные.
coverage-by-country = Покрытие по государствам-членам (доллары США)
coverage-by-cluster = Покрытие по кластерам (доллары США)
top-unmet = Критические потребности с наибольшим дефицитом
col-country = Страна
col-cluster = Кластер
col-item = Позиция
col-needs = Потребности
col-needed = Требуется
col-pledged = Обещано
col-committed = Выделено
col-delivered = Доставлено
col-unmet = Не покрыто
col-coverage = Покрыто
col-unit = Единица
col-quantity = Количество
col-priority = Приоритет
col-needed-by = Срок
col-status = Статус
col-id = №
col-donor = Донор
col-recipient = Получатель
col-stage = Этап
col-date = Дата
col-note = Примечание
col-who = Кто
col-version = Версия
nothing-yet = Пока нечего показать.
download-csv = Скачать CSV
download-xlsx = Скачать Excel
percent = { $value } %
sign-in-title = Вход
field-email = Адрес электронной почты
field-password = Пароль
button-sign-in = Войти
error-email-missing = Введите адрес электронной почты
error-password-missing = Введите пароль
error-sign-in-wrong = Неверный адрес электронной почты или пароль
error-throttled = Слишком много неудачных попыток входа в эту учётную запись отсюда. Повторите через { $seconds } с.
password-title = Смена пароля
password-one-time = Вы вошли с одноразовым паролем. Чтобы продолжить, выберите собственный пароль.
field-current-password = Текущий пароль
field-new-password = Новый пароль
hint-new-password = Не менее 12 символов. Несколько не связанных между собой слов легко запомнить.
button-change-password = Сменить пароль
error-current-password-wrong = Текущий пароль неверен
error-new-password-short = Новый пароль должен содержать не менее 12 символов
password-changed = Пароль изменён. Другие ваши сеансы завершены.
signed-out = Вы вышли из системы.
error-csrf = Срок действия формы истёк. Обновите страницу и отправьте форму ещё раз.
forbidden-title = Вам это не разрешено
forbidden-text = Ваша учётная запись этого не позволяет. Обратитесь в секретариат, если считаете, что должна.
not-found-title = Страница не найдена
not-found-text = По этому адресу ничего нет, или вам это не разрешено видеть.
unavailable-title = Сервис занят
unavailable-text = База данных не ответила вовремя. Повторите попытку чуть позже; ничего из отправленного не потеряно.
needs-title = Потребности
filter-title = Фильтр
filter-country = Страна (код ISO3)
filter-cluster = Кластер
filter-item = Код позиции
filter-priority = Приоритет
filter-status = Статус
filter-any = Любой
button-filter = Применить фильтры
next-page = Следующая страница
need-title = Потребность { $id }
need-new-title = Сообщить о потребности
need-edit-title = Изменить потребность { $id }
field-country = Страна
field-item = Позиция
field-quantity = Количество
hint-quantity = В единицах позиции, например 1200 или 12,5.
field-priority = Приоритет
field-needed-by = Срок
hint-needed-by = В виде год-месяц-день, например 2027-06-30.
field-place = Место
hint-place = Необязательно: провинция, район или город.
field-justification = Почему это необходимо
field-people-in-need = Люди, нуждающиеся в помощи
field-people-targeted = Люди, которых охватит помощь
field-note = Примечание
hint-note = Видно в истории; координатор увидит, почему потребность возвращена.
button-save-draft = Сохранить как черновик
button-save-submit = Сохранить и отправить на утверждение
button-save = Сохранить изменения
button-submit = Отправить на утверждение
button-validate = Утвердить
button-return = Вернуть координатору
button-withdraw = Отозвать
need-history = История
need-returned = Возвращено секретариатом: { $note }
need-coverage = Покрытие
need-actions = Что вы можете сделать
need-created = Потребность сохранена.
need-updated = Потребность изменена.
need-status-changed = Статус потребности: { $status }.
priority-critical = критический
priority-high = высокий
priority-medium = средний
priority-low = низкий
status-draft = черновик
status-submitted = отправлена
status-validated = утверждена
status-partly_met = покрыта частично
status-met = покрыта
status-withdrawn = отозвана
error-stale = Кто-то изменил эту запись, пока вы её редактировали. Проверьте новую версию и повторите попытку.
pledge-title = Объявить взнос для потребности { $id }
button-pledge = Записать объявленный взнос
field-donor = Донор
field-stage = Этап
field-stage-date = Дата
field-description = Описание
contribution-title = Взнос { $id }
contribution-created = Взнос записан.
contribution-advanced = Этап взноса: { $stage }.
delivery-confirmed = Поставка подтверждена.
button-advance = Перейти к этому этапу
delivery-title = Подтвердить поставку
field-delivered-quantity = Прибывшее количество
hint-delivered-quantity = Что действительно прибыло, даже если меньше отправленного.
field-delivered-on = Дата прибытия
button-confirm-delivery = Подтвердить поставку
contributions-title = Взносы
stage-announced = объявлен
stage-pledged = обещан
stage-committed = выделен
stage-shipped = отправлен
stage-disbursed = перечислен
stage-delivered = доставлен
stage-cancelled = отменён
outstanding = Ещё не доставлено: { $quantity }
country-title = { $country }
country-needs = Потребности и их покрытие
country-contributions = Взносы получателю: { $country }
country-deliveries = Подтверждения поставок
date-format = { $day } { $month } { $year } г.
month-1 = января
month-2 = февраля
month-3 = марта
month-4 = апреля
month-5 = мая
month-6 = июня
month-7 = июля
month-8 = августа
month-9 = сентября
month-10 = октября
month-11 = ноября
month-12 = декабря
err-required = Заполните поле «{ $field }»
err-not_a_number = «{ $field }»: введите число, например 1500 или 2,5
err-negative = «{ $field }»: значение не может быть отрицательным
err-not_positive = «{ $field }»: значение должно быть больше нуля
err-too_precise = «{ $field }»: слишком много знаков после запятой для этой единицы
err-too_large = «{ $field }»: слишком большое значение
err-invalid_date = «{ $field }»: введите дату в виде год-месяц-день, например 2027-06-30
err-invalid_choice = «{ $field }»: выберите значение из списка
err-too_long = «{ $field }»: слишком длинный текст
err-other = «{ $field }»: { $message }
nav-inbox = Уведомления
nav-accounts = Учётные записи
inbox-title = Уведомления и контроль
inbox-notices = Уведомления
inbox-follow-up = Ожидают контроля (30 дней и более)
inbox-mine = Ваши взносы
col-what = Что
col-party = С кем
col-since = С
col-days-waiting = Дней ожидания
col-outstanding = Ещё не доставлено
notice-pledge = Объявлен взнос на вашу потребность
notice-need_validated = Ваша потребность утверждена
notice-need_returned = Ваша потребность возвращена
notice-need_withdrawn = Потребность отозвана
notice-need_submitted = Потребность ожидает утверждения
notice-awaiting_confirmation = Поставка ожидает вашего подтверждения
notice-delivery_confirmed = Поставка подтверждена
notice-follow_up = Требует контроля
accounts-title = Учётные записи
accounts-add = Добавить учётную запись
field-role = Роль
field-org = Организация или государство-донор
hint-account-country = Для координатора: код ISO3 государства-члена, например KEN.
hint-account-org = Для партнёра: код стороны, например WHO или IND.
button-add-account = Добавить учётную запись
one-time-shown = Одноразовый пароль для { $email }, показывается только сейчас. Передайте его владельцу по надёжному каналу; его нужно сменить при первом входе.
account-disabled = Отключена
account-saved = Учётная запись изменена. Изменение сразу действует для всех сеансов и токенов.
button-reset-password = Выдать новый одноразовый пароль
button-disable = Отключить учётную запись
button-enable = Включить учётную запись
nav-import = Загрузить файл
import-title = Загрузить потребности или взносы
import-intro = Загрузите шаблон Excel, файл HXL CSV или JSON. Сначала файл проверяется, и ничего не записывается, пока все строки не будут верны.
import-template = Скачать шаблон Excel
field-file = Файл
hint-file = Excel (.xlsx), HXL CSV (.csv) или JSON, до 64 МиБ.
field-decimal = Десятичный разделитель в файле
hint-decimal = Как записаны числа, введённые как текст. Если вы не знаете, число, читаемое двояко, будет отмечено, а не угадано.
decimal-unknown = Не знаю
decimal-point = Точка: 1,500.5
decimal-comma = Запятая: 1.500,5
button-check-file = Проверить файл
error-file-missing = Выберите файл для загрузки
error-file-too-large = Файл больше { $size }. Разделите его или попросите администратора импортировать его на сервере.
error-upload-broken = Загрузка прервалась. Повторите попытку.
import-busy = На этом сервере ожидает слишком много импортов. Повторите через минуту.
import-gone = Эта загрузка больше не ожидает. Загрузите файл ещё раз.
import-report = Файл проверен
import-done = Файл импортирован
import-file = Файл: { $file }
import-rows = Прочитано строк
import-created = Новые записи
import-updated = Изменённые записи
import-unchanged = Записи без изменений
import-problem-count = Проблемы
import-written = Все строки записаны.
import-problems = Проблемы по строкам и столбцам
col-row = Строка
col-column = Столбец
col-fix = Как исправить
import-suggestions = Названия, близкие к известным
hint-suggestions = Отметьте каждое верное. Неотмеченное название остаётся проблемой, и ничего не записывается.
button-import = Импортировать файл
import-fix-and-upload = Ничего не записано. Исправьте эти строки в файле и загрузите его снова.
filter-who-region = Регион ВОЗ
filter-income-group = Группа по доходу
filter-nam-status = Статус в ДН
filter-region = Код региона M49 ООН
filter-needed-from = Срок с (год-месяц-день)
filter-needed-to = Срок по (год-месяц-день)
income-low = низкий доход
income-lower_middle = доход ниже среднего
income-upper_middle = доход выше среднего
income-high = высокий доход
nam-member = государство-член
nam-observer = государство-наблюдатель
nav-duplicates = Дубликаты
duplicates-title = Взносы, сообщённые дважды
duplicates-intro = Пары, похожие на один поток: тот же донор, получатель и позиция, количества в пределах 5 % и первые даты в пределах 30 дней. Объединение сохраняет обе истории; объединённый отчёт больше не учитывается.
pair-matched_reports = один и тот же поток, о котором сообщили обе стороны
pair-suspected_duplicate = предполагаемый дубликат
col-days-apart = Разница в днях
button-merge = Объединить { $duplicate } с другим
merged = Отчёты объединены. Обе истории сохранены.
nav-catalogue = Каталог
catalogue-title = Каталог позиций
catalogue-add = Добавить позицию
field-item-code = Код позиции
hint-item-code = Заглавные латинские буквы, цифры и дефисы, например SHL-FAMILY-TENT.
field-name-en = Название на английском
field-category = Категория
hint-unit = Например piece, kit, tonne или house.
field-unit-kind = Вид единицы
field-decimals = Допустимые знаки после запятой
field-dac-sector = Сектор КСР ОЭСР
hint-dac-sector = Пятизначный код цели, например 12250.
field-unit-value = Стоимость единицы (доллары США)
field-unit-value-source = Источник стоимости
field-unit-value-date = Дата стоимости
button-add-item = Добавить позицию
button-retire = Вывести { $code }
item-retired = выведена
item-saved = Каталог изменён.
nav-allocations = Распределение
alloc-title = Распределить дефицитные поставки
alloc-intro = Выберите позицию, объём поставки и правило. Предпросмотр показывает каждую долю с обоснованием и каждую проверку; ничего не записывается, пока предложение не сохранено и не утверждено.
field-supply = Объём поставки
field-policy = Правило
hint-policy = population-cap распределяет по населению до предела, как COVAX; need-proportional — по непокрытой потребности; max-min сначала поднимает наименее обеспеченных; priority сначала обслуживает критические потребности.
field-eligible = Кто может получить
hint-eligible = nam-members, who:AFR, income:low, m49:002 или country:KEN.
field-cap = Предел (доля населения)
hint-cap = Только для population-cap; по умолчанию 0,20.
field-buffer = Гуманитарный резерв
hint-buffer = Только для population-cap: удерживаемая доля; по умолчанию 0,05.
field-lot = Размер партии
field-min-shipment = Минимальная поставка
field-earmark = Целевое назначение
hint-earmark = Необязательно, например nam-members=50%.
field-supplier = Поставщик
hint-supplier = Чтобы сохранить предложение: сторона-поставщик, например COVAX или WHO.
button-preview = Просмотреть доли
button-propose = Сохранить как предложение
button-commit = Утвердить: записать взносы
alloc-result = Доли
slider-supply = Попробуйте другой объём поставки: доли меняются при движении ползунка
alloc-allocated = Распределено
alloc-unallocated = Не распределено
alloc-before = Покрыто до
alloc-after = Покрыто после
alloc-reason = Почему
alloc-checks = Проверки
alloc-proposals = Предложения
proposal-title = Предложение { $id }
http-400 = Неверный запрос
http-401 = Требуется вход
http-403 = Запрещено
http-404 = Не найдено
http-409 = Конфликт
http-412 = Предварительное условие не выполнено
http-413 = Слишком большой объём
http-422 = Содержимое не может быть обработано
http-428 = Требуется предварительное условие
http-429 = Слишком много запросов
http-500 = Внутренняя ошибка сервера
http-503 = Сервис недоступен
evidence-title = Подтверждающие материалы
field-evidence-url = Ссылка
hint-evidence-url = Адрес, начинающийся с https://, например оценка в интернете.
field-evidence-title = Что он показывает
field-evidence-file = Файл
hint-evidence-file = Файл PDF, PNG или JPEG, до 5 МиБ: оценка или подписанная накладная.
button-add-link = Добавить ссылку
button-add-file = Добавить файл
error-evidence-file = Файл не принят: это должен быть PDF, PNG или JPEG размером не более { $size }.
evidence-added = Материал добавлен.

# Pledging against several needs
pledge-several-title = Обязательство по { $count } потребностям
field-quantity-for = Количество для { $need }
pledge-cannot-title = Это обязательство нельзя записать
pledge-none = Выберите хотя бы одну открытую потребность, которую вы видите.
pledge-too-many = Одно обязательство может охватывать не более 50 потребностей.
pledge-mixed = Обязательство несёт один товар в одну страну. Выбранные потребности относятся к разным странам или товарам: оформите их отдельно.
col-select = Выбор
pick-need = Выбрать потребность { $id }
pledge-several-hint = Отметьте потребности одной страны по одному товару и оформите одно обязательство.
button-pledge-several = Обязательство по отмеченным потребностям
upload-broken-title = Не удалось прочитать загруженный файл

# Table downloads
yes = да
no = нет
col-passed = Пройдена
col-kept = Сохранённый
col-duplicate = Дубликат

# Correcting a contribution
correct-title = Исправить взнос { $id }
correct-intro = Исправьте обещанное или отправленное, дату и назначение. Донор, получатель и товар не меняются: ошибочный поток отменяется и записывается заново. История хранит каждую версию.
button-correct = Исправить этот взнос
contribution-corrected = Взнос исправлен.
field-amount = Сумма
field-source-url = Источник (веб-адрес)
field-external-id = Ваш номер

# Editing a catalogue item
item-edit-title = Изменить { $item }
item-edit-intro = Код, единица и её знаки после запятой не меняются, потому что в них считаются сохранённые количества. Новая цена единицы переоценивает потребности и товары, оценённые по ней.
hint-unit-value-clear = Оставьте пустым, чтобы удалить цену.
button-edit-item = Изменить { $code }

# API tokens
tokens-title = Токены API
tokens-intro = Скрипт или другая система использует токен вместо вашего пароля, в заголовке 'Authorization: Bearer …'. Он может делать то же, что и вы. Токен показывается один раз; храните его надёжно и отзовите, когда он больше не нужен.
token-shown-once = Ваш новый токен. Он показан только сейчас: скопируйте его.
tokens-add = Создать токен
tokens-yours = Ваши токены
field-token-name = Название
hint-token-name = Для чего он, например «ежемесячная загрузка из складской системы».
field-token-days = Срок действия в днях
hint-token-days = От 1 до 3650. Оставьте пустым для бессрочного токена.
button-add-token = Создать токен
col-token-start = Начинается с
col-token-expires = Истекает
token-revoked = отозван
button-revoke-token = Отозвать { $name }
token-revoked-notice = Токен отозван.
nav-tokens = Токены API

# Allocation: within and what-if recipients
field-within = Внутри каждого приоритета делить по
hint-within = Только для правила приоритета.
within-default = max-min (по умолчанию)
field-recipients = Гипотетические получатели (CSV)
hint-recipients = Необязательно. Строка заголовков, затем по стране в строке: iso3,population,need,capacity. Заменяет допустимую группу; недостающие цифры берутся из базы.
field-file-only = Ничего не брать из базы: только цифры выше

# Country page exports
country-exports = Все взносы этой стране, для других систем:
export-xlsx = Excel
export-hxl = HXL CSV
export-iati = IATI 2.03 XML

# Saved searches
searches-title = Сохранённые поиски
searches-intro = Следите в программе чтения лент за потребностями, подходящими под поиск: туда попадает каждая новая подтверждённая потребность. Сохраните поиск из списка потребностей.
feed-shown-once = Адрес вашей ленты. Он показан только сейчас: скопируйте его в программу чтения лент.
field-search-name = Название поиска
hint-search-name = Например, «кислород в Восточной Африке».
button-follow-search = Сохранить и следить
col-filters = Фильтры
button-forget-search = Не следить за { $name }
search-forgotten = Поиск больше не отслеживается.
nav-searches = Сохранённые поиски
follow-search-summary = Следить за этим поиском в ленте

# Organisations
organisations-title = Организации
organisations-add = Добавить организацию
organisations-list = Организации, которые дают или передают взносы
field-org-code = Код
hint-org-code = Короткий и уникальный, например UNICEF или MSF.
field-org-name = Название
field-org-type = Тип
button-add-organisation = Добавить организацию
organisation-added = Организация добавлена.
nav-organisations = Организации

# Audit check
audit-title = Проверить журнал аудита
audit-summary = Проверено { $entries } записей журнала как цепочка; { $records } записей сверено с последним состоянием в журнале.
audit-intact = Журнал аудита цел, и каждая запись ему соответствует.
audit-first-bad = Запись { $entry } не вписывается в цепочку: { $reason }
audit-mismatches = Записи, изменённые в обход needsdb
col-audit-entry = Запись журнала

## Units of measure (unit-<code>), agreeing with $count.
quantity-with-unit = { $quantity } { $unit }
unit-bridge = { $count ->
    [one] мост
    [few] моста
    [many] мостов
   *[other] моста
}
unit-carton = { $count ->
    [one] коробка
    [few] коробки
    [many] коробок
   *[other] коробки
}
unit-course = { $count ->
    [one] курс
    [few] курса
    [many] курсов
   *[other] курса
}
unit-dose = { $count ->
    [one] доза
    [few] дозы
    [many] доз
   *[other] дозы
}
unit-facility = { $count ->
    [one] объект
    [few] объекта
    [many] объектов
   *[other] объекта
}
unit-family = { $count ->
    [one] семья
    [few] семьи
    [many] семей
   *[other] семьи
}
unit-house = { $count ->
    [one] дом
    [few] дома
    [many] домов
   *[other] дома
}
unit-household = { $count ->
    [one] домохозяйство
    [few] домохозяйства
    [many] домохозяйств
   *[other] домохозяйства
}
unit-kit = { $count ->
    [one] комплект
    [few] комплекта
    [many] комплектов
   *[other] комплекта
}
unit-litre = { $count ->
    [one] литр
    [few] литра
    [many] литров
   *[other] литра
}
unit-pair = { $count ->
    [one] пара
    [few] пары
    [many] пар
   *[other] пары
}
unit-person = { $count ->
    [one] человек
    [few] человека
    [many] человек
   *[other] человека
}
unit-piece = { $count ->
    [one] штука
    [few] штуки
    [many] штук
   *[other] штуки
}
unit-ration = { $count ->
    [one] паёк
    [few] пайка
    [many] пайков
   *[other] пайка
}
unit-school = { $count ->
    [one] школа
    [few] школы
    [many] школ
   *[other] школы
}
unit-square_kilometre = км²
unit-system = { $count ->
    [one] система
    [few] системы
    [many] систем
   *[other] системы
}
unit-tablet = { $count ->
    [one] таблетка
    [few] таблетки
    [many] таблеток
   *[other] таблетки
}
unit-test = { $count ->
    [one] тест
    [few] теста
    [many] тестов
   *[other] теста
}
unit-tonne = { $count ->
    [one] тонна
    [few] тонны
    [many] тонн
   *[other] тонны
}
unit-unit = { $count ->
    [one] единица
    [few] единицы
    [many] единиц
   *[other] единицы
}
unit-usd = { $count ->
    [one] доллар США
    [few] доллара США
    [many] долларов США
   *[other] доллара США
}

## Contributions list, countries list, offer matching.
contributions-exports = Взносы этой стране для других систем:
filter-donor = Донор (код)
filter-recipient = Получатель (код)
filter-channel = Канал (код)
filter-stage = Этап
filter-kind = Вид
filter-date-from = Этап достигнут с (год-месяц-день)
filter-date-to = Этап достигнут не позднее (год-месяц-день)
filter-un-region = Регион (ООН)
kind-in_kind = в натуральной форме
kind-cash = денежные средства
countries-title = Страны и районы
col-iso3 = Код ISO3
col-un-region = Регион
col-population = Население
region-002 = Африка
region-019 = Северная и Южная Америка
region-142 = Азия
region-150 = Европа
region-009 = Океания
nam-none = не входит в Движение
nav-countries = Страны
nav-offers = Подобрать предложение
offers-title = Подбор потребностей под предложение
offers-intro = Укажите, что вы можете предоставить. Открытые потребности, которые это покроет, перечислены по приоритету, сроку и непокрытой доле, с количеством для каждой. Сначала вычитается то, что уже объявили или обещали другие доноры.
hint-offer-country = Необязательно: коды ISO3 через запятую.
button-match = Найти потребности
offers-result = Потребности, которые может покрыть это предложение
col-need = Потребность
col-open = Ещё открыто
col-unmet-share = Непокрытая доля
col-give = Предоставить
col-action = Действие
pledge-this = Обещать это для потребности { $id }
offers-none = Ни одна открытая потребность не соответствует этому предложению.
item-created = создан
item-history = Изменения этого предмета
feed-of-notifications = мои уведомления
feed-of-notifications-hint = Программа чтения лент может следить за вашими уведомлениями по секретному адресу, который показывается один раз. Он указан среди сохранённых поисков, где его можно остановить.
button-follow-notifications = Следить за моими уведомлениями в программе чтения лент

## Uploads: the list, one upload, and each problem's message and fix by its code.
imports-title = Ваши загрузки
import-job-title = Загрузка { $id }
import-state-queued = в очереди
import-state-checking = проверяется
import-state-writing = записывается
import-state-done = завершено
import-state-failed = сбой (ничего не записано)
import-state-interrupted = прервано (ничего не записано)
import-state-written = записано
import-state-checked = только проверено
import-state-refused = не записано: в файле есть ошибки
import-list-link = Посмотреть прежние загрузки
import-msg-unknown_item = Такого предмета нет в каталоге.
import-msg-unknown_country = Такая страна неизвестна.
import-msg-unknown_party = Такое государство или организация неизвестны.
import-msg-unknown_currency = Это не код валюты.
import-msg-retired_item = Этот предмет исключён из каталога.
import-msg-not_valued = Эти денежные средства нельзя соотнести с потребностями, которые они финансируют.
import-msg-in_future = Эта дата в будущем.
import-msg-in_past = Эта дата уже прошла.
import-msg-unknown_sector = Это не код сектора КСР.
import-msg-duplicate_external_id = Этот внешний идентификатор уже есть в другой строке.
import-msg-not_editable = Запись с этим внешним идентификатором больше нельзя изменить из файла.
import-msg-mixed_decimal_style = В файле числа записаны двумя способами (с десятичной точкой и запятой).
import-msg-ambiguous_number = Это число можно прочитать двумя способами (1,500 или 1.500).
import-msg-unreadable_cell = Эту ячейку невозможно прочитать.
import-msg-suggestion = «{ $written }» похоже на известное название, но не совпадает с ним.
import-msg-no_match = Это название ни с чем не совпадает.
import-fix-required = Заполните поле { $field } в этой строке.
import-fix-item = Выберите предмет на листе списков шаблона или на странице каталога.
import-fix-country = Укажите код страны ISO3, например KEN; они перечислены на странице «Страны».
import-fix-party = Укажите код ISO3 или код организации со страницы «Организации».
import-fix-currency = Укажите код ISO 4217, например USD или EUR.
import-fix-choice = Выберите одно из значений раскрывающегося списка шаблона для поля { $field }.
import-fix-number = Укажите { $field } числом больше нуля, например 1500 или 2,5.
import-fix-decimals = Загрузите файл снова и укажите в форме, как в нём записаны десятичные дроби.
import-fix-not-valued = Свяжите денежные средства с финансовой потребностью или попросите секретариат задать стоимость единицы предмета.
import-fix-in-future = Запишите этап, когда он будет достигнут.
import-fix-sector = Укажите пятизначный код сектора КСР, например 72010.
import-fix-too-long = Сократите поле { $field }.
import-fix-external-id = Присвойте строке собственный внешний идентификатор.
import-fix-date = Запишите дату в виде год-месяц-день, например 2027-06-30, или задайте ячейке формат даты.
import-fix-suggestion = Отметьте название ниже, если оно верно, или впишите код в файл.
import-fix-other = Исправьте эту ячейку и загрузите файл снова.

## Correcting a contribution's channel, links and earmarks.
field-channel = Канал
hint-channel = Необязательно: код организации, через которую идёт взнос, например WHO.
field-links = Потребности, которые он покрывает
hint-links = Одна потребность в строке: номер потребности, знак = и часть этого взноса для неё, например 132=60. Оставьте пустым, чтобы не связывать потребности.
field-earmarks = Целевые назначения
hint-earmarks = По одному в строке: группа, знак = и доля или сумма, например nam-members=50% или who:AFR=2000000.

## API problem details by kind (Accept-Language).
problem-sign-in = Войдите в систему или отправьте токен API в виде «Authorization: Bearer ...».
problem-wrong-password = Неверный адрес электронной почты или пароль.
problem-token-unknown = Токен API неизвестен, истёк или отозван.
problem-not-found = Не найдено: { $what }.
problem-no-address = По этому адресу ничего нет.
problem-method = Этот адрес не принимает такой метод.
problem-timeout = Запрос выполнялся слишком долго.
problem-internal = На сервере произошла ошибка; она записана в журнал.
problem-throttled = Слишком много неудачных попыток входа в эту учётную запись отсюда; повторите через { $seconds } с.
problem-stale-version = Кто-то изменил эту запись после того, как вы её прочитали. Прочитайте её снова и внесите изменение.
problem-if-match-required = Отправьте последний прочитанный ETag в заголовке If-Match, чтобы не затереть чужое изменение.
problem-json-only = Отправьте тело в формате JSON с «Content-Type: application/json».
problem-storage-full = Хранилище сервера заполнено, ничего не записано; администратор должен освободить место. Повторите позже.
problem-read-only = База данных сейчас доступна только для чтения, ничего не записано. Повторите позже.
problem-busy = База данных занята другой записью; ничего не записано. Повторите через минуту.
problem-unavailable = Сервер сейчас не может это выполнить; ничего не записано. Повторите через минуту.
problem-invalid-many = Недопустимых полей: { $count }.

## Allocation: what-if recipients from a file.
field-recipients-file = Или загрузите гипотетических получателей из файла CSV
hint-recipients-file = Те же столбцы, что выше (iso3, population, need, capacity). Текст файла попадёт в поле выше, чтобы проверить его перед предварительным просмотром.
button-load-recipients = Загрузить файл
error-recipients-file = Выберите файл CSV размером не более { $size }
error-recipients-text = Файл не является текстом в UTF-8: сохраните его из электронной таблицы как CSV UTF-8

## The dashboard: map, cluster bars, series, equity, earmarks.
nav-dashboard = Панель
dashboard-title = Потребности, поставки и справедливость — кратко
dashboard-intro = Где потребности не покрыты, что поступило и насколько справедливо распределены поставки. У каждого графика есть таблица с цифрами.
dashboard-where = Где потребности не покрыты
dashboard-fair = Насколько справедливо распределены поставки
dashboard-recent = Недавние обещания и поставки
dashboard-earmarks = Целевые назначения: сколько дошло до каждой группы
measure-usd = долларах США
measure-all-items = Все предметы, в долларах США
map-title = Покрытие потребностей по государствам, в { $measure }
map-desc = Карта мира: каждое из { $count } государств с потребностями окрашено по покрытой доле, темнее там, где покрыто меньше; малые государства показаны кругами. Цифры — в таблице ниже.
map-state-none = { $country }: потребности не учтены
legend-class = покрыто { $from }–{ $to } %
legend-none = потребности не учтены
map-disclaimer = Указанные на этой карте границы и названия и используемые обозначения не означают их официального одобрения или признания Организацией Объединённых Наций или needsdb.
table-of = Цифры: { $what }
clusters-title = Покрытие по кластерам, в { $measure }
clusters-desc = Для каждого кластера — полоса длиной в его потребность: что поступило, что профинансировано, но ещё не поступило, что только обещано и что не покрыто.
stack-delivered = поступило
stack-pipeline = профинансировано, в пути
stack-promised = только обещано
stack-unmet = не покрыто
series-heading = По месяцам
series-title = { $item } по месяцам: нужно, обещано, принято обязательств и поставлено
series-desc = Четыре линии по месяцам: нужно (серая сплошная), обещано (оранжевая штриховая), обязательства (синяя пунктирная) и поставлено (зелёная сплошная). Цифры — в таблице.
series-choose-item = Выберите предмет выше, чтобы увидеть его по месяцам.
col-month = Месяц
equity-population = доля населения
equity-delivered = доля поставок
equity-shares-title = Поставки по группам дохода в сравнении с населением
equity-lorenz-title = Кривая Лоренца поставок на человека
equity-lorenz-desc = Доля поставок, полученная долей населения; государства упорядочены от наименее обеспеченных на человека. Штриховая диагональ — равная доля для каждого человека.
equity-gini = Коэффициент Джини: { $gini } (0 — равная доля на человека, 1 — всё одному государству)
equity-sentence = Государства с высоким доходом получили { $high_delivered } % поставок при { $high_population } % населения; государства с низким доходом — { $low_delivered } % при { $low_population } %.
equity-nothing = Поставок ещё не было, сравнивать нечего.
equity-counts-cash = Учтено: выплаченные или переданные денежные средства, в долларах США. Товары учитываются по каждой позиции отдельно: выберите позицию, чтобы сравнить её поставки.
equity-counts-item = Учтено: поставки позиции «{ $item }», в единицах «{ $unit }».
equity-nothing-cash = Денежные средства ещё не выплачивались и не передавались, сравнивать нечего. Выберите позицию, чтобы сравнить поставки товаров.
equity-partial = Среди учтённых государств нет одновременно государств с высоким и низким доходом; доли каждой группы — в таблице.
earmark-earmarked = Назначено
earmark-reached = Дошло до группы
earmark-followed = соблюдено
earmark-not_yet_funded = ещё не профинансировано
earmark-cancelled = отменено
earmark-not_valued = товары без известной стоимости
map-state = { $country }: покрыто { $coverage } %, поступило { $arrived } %, не покрыто { $unmet } ({ $measure })
map-title-arrived = Доля потребностей, которая поступила, по государствам, в { $measure }
legend-class-arrived = поступило { $from }–{ $to } %
field-shade = Окрашивать карту по
shade-covered = покрытой (профинансированной) доле
shade-arrived = поступившей доле
country-chart-title = Что получила каждая потребность ({ $country }): поступило, в пути, обещано и не покрыто — в долях потребности
problem-general-forbidden = Вашей учётной записи это не разрешено.
problem-general-conflict = Это противоречит уже записанному; ничего не записано.
problem-general-bad-request = Запрос не удалось прочитать; ничего не записано.
import-msg-other = Эта ячейка заполнена неверно
coverage-by-group = Покрытие по признаку «{ $group }», в долларах США
field-group-by = Группировать последнюю таблицу по
income-unclassified = не классифицировано
