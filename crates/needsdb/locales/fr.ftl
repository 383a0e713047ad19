site-name = needsdb
site-tagline = Besoins humanitaires et médicaux, annonces de contributions et livraisons
skip-to-content = Aller au contenu principal
language = Langue
nav-overview = Vue d’ensemble
nav-needs = Besoins
nav-new-need = Signaler un besoin
nav-contributions = Contributions
nav-sign-in = Se connecter
nav-sign-out = Se déconnecter
nav-password = Changer le mot de passe
signed-in-as = Connecté·e en tant que { $email } ({ $role })
error-prefix = Erreur :
error-summary = Il y a un problème
footer-api = Référence de l’API
footer-note = Les chiffres portent sur les besoins validés. Les frontières et les noms n’impliquent aucune prise de position de l’Organisation des Nations Unies ni de needsdb.
role-admin = administrateur
role-secretariat = secrétariat
role-focal_point = point focal
role-partner = partenaire
role-viewer = lecteur
overview-title = Ce qui manque encore
overview-intro = Couverture des besoins validés signalés par les États membres. « Engagé » compte les contributions engagées, expédiées, décaissées ou livrées.
coverage-by-country = Couverture par État membre (dollars des États-Unis)
coverage-by-cluster = Couverture par secteur (dollars des États-Unis)
top-unmet = Besoins critiques aux plus grands écarts
col-country = Pays
col-cluster = Secteur
col-item = Article
col-needs = Besoins
col-needed = Demandé
col-pledged = Annoncé
col-committed = Engagé
col-delivered = Livré
col-unmet = Non couvert
col-coverage = Couvert
col-unit = Unité
col-quantity = Quantité
col-priority = Priorité
col-needed-by = Pour le
col-status = Statut
col-id = N°
col-donor = Donateur
col-recipient = Bénéficiaire
col-stage = Étape
col-date = Date
col-note = Note
col-who = Qui
col-version = Version
nothing-yet = Rien à afficher pour l’instant.
download-csv = Télécharger en CSV
download-xlsx = Télécharger en Excel
percent = { $value } %
sign-in-title = Connexion
field-email = Adresse électronique
field-password = Mot de passe
button-sign-in = Se connecter
error-email-missing = Saisissez votre adresse électronique
error-password-missing = Saisissez votre mot de passe
error-sign-in-wrong = L’adresse électronique ou le mot de passe est incorrect
error-throttled = Trop de tentatives de connexion échouées pour ce compte depuis cet endroit. Réessayez dans { $seconds } secondes.
password-title = Changer votre mot de passe
password-one-time = Vous vous êtes connecté·e avec un mot de passe à usage unique. Choisissez votre propre mot de passe pour continuer.
field-current-password = Mot de passe actuel
field-new-password = Nouveau mot de passe
hint-new-password = Au moins 12 caractères. Quelques mots sans rapport entre eux sont faciles à retenir.
button-change-password = Changer le mot de passe
error-current-password-wrong = Le mot de passe actuel est incorrect
error-new-password-short = Le nouveau mot de passe doit comporter au moins 12 caractères
password-changed = Votre mot de passe a été changé. Vos autres sessions ont été fermées.
signed-out = Vous êtes déconnecté·e.
error-csrf = Ce formulaire a expiré. Rechargez la page et envoyez-le de nouveau.
forbidden-title = Vous ne pouvez pas faire ceci
forbidden-text = Votre compte ne le permet pas. Adressez-vous au secrétariat si vous pensez qu’il le devrait.
not-found-title = Page introuvable
not-found-text = Rien ne se trouve à cette adresse, ou vous ne pouvez pas le voir.
unavailable-title = Le service est occupé
unavailable-text = La base de données n’a pas répondu à temps. Réessayez dans un instant ; rien de ce que vous avez envoyé n’est perdu.
needs-title = Besoins
filter-title = Filtrer
filter-country = Pays (code ISO3)
filter-cluster = Secteur
filter-item = Code de l’article
filter-priority = Priorité
filter-status = Statut
filter-any = Tous
button-filter = Appliquer les filtres
next-page = Page suivante
need-title = Besoin { $id }
need-new-title = Signaler un besoin
need-edit-title = Modifier le besoin { $id }
field-country = Pays
field-item = Article
field-quantity = Quantité
hint-quantity = Dans l’unité de l’article, par exemple 1200 ou 12,5.
field-priority = Priorité
field-needed-by = Pour le
hint-needed-by = Sous la forme année-mois-jour, par exemple 2027-06-30.
field-place = Lieu
hint-place = Facultatif : province, district ou ville.
field-justification = Pourquoi ce besoin
field-people-in-need = Personnes dans le besoin
field-people-targeted = Personnes que ce besoin atteindra
field-note = Note
hint-note = Affichée dans l’historique du besoin ; le point focal voit pourquoi il a été renvoyé.
button-save-draft = Enregistrer comme brouillon
button-save-submit = Enregistrer et soumettre pour validation
button-save = Enregistrer les modifications
button-submit = Soumettre pour validation
button-validate = Valider
button-return = Renvoyer au point focal
button-withdraw = Retirer
need-history = Historique
need-returned = Renvoyé par le secrétariat : { $note }
need-coverage = Couverture
need-actions = Ce que vous pouvez faire
need-created = Le besoin a été enregistré.
need-updated = Le besoin a été modifié.
need-status-changed = Le besoin est maintenant : { $status }.
priority-critical = critique
priority-high = haute
priority-medium = moyenne
priority-low = basse
status-draft = brouillon
status-submitted = soumis
status-validated = validé
status-partly_met = partiellement couvert
status-met = couvert
status-withdrawn = retiré
error-stale = Quelqu’un a modifié cet enregistrement pendant que vous le modifiiez. Vérifiez la nouvelle version et réessayez.
pledge-title = Annoncer une contribution pour le besoin { $id }
button-pledge = Enregistrer l’annonce
field-donor = Donateur
field-stage = Étape
field-stage-date = Date
field-description = Description
contribution-title = Contribution { $id }
contribution-created = La contribution a été enregistrée.
contribution-advanced = La contribution est maintenant : { $stage }.
delivery-confirmed = La livraison a été confirmée.
button-advance = Passer à cette étape
delivery-title = Confirmer une livraison
field-delivered-quantity = Quantité arrivée
hint-delivered-quantity = Ce qui est réellement arrivé, même si c’est moins que ce qui a été expédié.
field-delivered-on = Arrivée le
button-confirm-delivery = Confirmer la livraison
contributions-title = Contributions
stage-announced = annoncée
stage-pledged = promise
stage-committed = engagée
stage-shipped = expédiée
stage-disbursed = décaissée
stage-delivered = livrée
stage-cancelled = annulée
outstanding = Pas encore livré : { $quantity }
country-title = { $country }
country-needs = Besoins et leur couverture
country-contributions = Contributions à destination de : { $country }
country-deliveries = Confirmations de livraison
date-format = { $day } { $month } { $year }
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
err-required = Saisissez : { $field }
err-not_a_number = { $field } : saisissez un nombre, par exemple 1500 ou 2,5
err-negative = { $field } : la valeur ne peut pas être négative
err-not_positive = { $field } : la valeur doit être supérieure à zéro
err-too_precise = { $field } : trop de décimales pour cette unité
err-too_large = { $field } : la valeur est trop grande
err-invalid_date = { $field } : saisissez une date sous la forme année-mois-jour, par exemple 2027-06-30
err-invalid_choice = { $field } : choisissez une valeur dans la liste
err-too_long = { $field } : le texte est trop long
err-other = { $field } : { $message }
nav-inbox = Notifications
nav-accounts = Comptes
inbox-title = Notifications et suivi
inbox-notices = Notifications
inbox-follow-up = En attente de suivi (30 jours ou plus)
inbox-mine = Vos contributions
col-what = Quoi
col-party = Avec
col-since = Depuis
col-days-waiting = Jours d’attente
col-outstanding = Pas encore livré
notice-pledge = Une annonce de contribution pour votre besoin
notice-need_validated = Votre besoin a été validé
notice-need_returned = Votre besoin a été renvoyé
notice-need_withdrawn = Un besoin a été retiré
notice-need_submitted = Un besoin attend sa validation
notice-awaiting_confirmation = Une expédition attend votre confirmation
notice-delivery_confirmed = Une livraison a été confirmée
notice-follow_up = À suivre
accounts-title = Comptes
accounts-add = Ajouter un compte
field-role = Rôle
field-org = Organisation ou État donateur
hint-account-country = Pour un point focal : le code ISO3 de l’État membre, par exemple KEN.
hint-account-org = Pour un partenaire : le code de la partie, par exemple WHO ou IND.
button-add-account = Ajouter le compte
one-time-shown = Mot de passe à usage unique pour { $email }, affiché uniquement maintenant. Transmettez-le à son titulaire par un canal sûr ; il devra être changé à la première connexion.
account-disabled = Désactivé
account-saved = Le compte a été modifié. Le changement vaut immédiatement pour chaque session et chaque jeton.
button-reset-password = Donner un nouveau mot de passe à usage unique
button-disable = Désactiver le compte
button-enable = Réactiver le compte
nav-import = Téléverser un fichier
import-title = Téléverser des besoins ou des contributions
import-intro = Téléversez le modèle Excel, un fichier CSV HXL ou JSON. Le fichier est d’abord vérifié et rien n’est enregistré tant que chaque ligne n’est pas correcte.
import-template = Télécharger le modèle Excel
field-file = Fichier
hint-file = Excel (.xlsx), CSV HXL (.csv) ou JSON, jusqu’à 64 Mio.
field-decimal = Séparateur décimal dans le fichier
hint-decimal = Comment sont écrits les nombres saisis comme texte. Si vous ne savez pas, un nombre qui se lit de deux façons est signalé, jamais deviné.
decimal-unknown = Je ne sais pas
decimal-point = Un point : 1,500.5
decimal-comma = Une virgule : 1.500,5
button-check-file = Vérifier le fichier
error-file-missing = Choisissez un fichier à téléverser
error-file-too-large = Le fichier dépasse { $size }. Divisez-le, ou demandez à un administrateur de l’importer sur le serveur.
error-upload-broken = Le téléversement s’est interrompu. Réessayez.
import-busy = Trop d’importations attendent sur ce serveur. Réessayez dans une minute.
import-gone = Ce téléversement n’est plus en attente. Téléversez de nouveau le fichier.
import-report = Le fichier a été vérifié
import-done = Le fichier a été importé
import-file = Fichier : { $file }
import-rows = Lignes lues
import-created = Nouveaux enregistrements
import-updated = Enregistrements modifiés
import-unchanged = Enregistrements inchangés
import-problem-count = Problèmes
import-written = Toutes les lignes ont été enregistrées.
import-problems = Problèmes, par ligne et colonne
col-row = Ligne
col-column = Colonne
col-fix = Comment corriger
import-suggestions = Noms proches d’un nom connu
hint-suggestions = Cochez chacun de ceux qui sont justes. Un nom non coché reste un problème et rien n’est enregistré.
button-import = Importer le fichier
import-fix-and-upload = Rien n’a été enregistré. Corrigez ces lignes dans votre fichier et téléversez-le de nouveau.
filter-who-region = Région OMS
filter-income-group = Groupe de revenu
filter-nam-status = Statut au MNA
filter-region = Code de région M49 de l’ONU
filter-needed-from = Pour le, à partir du (année-mois-jour)
filter-needed-to = Pour le, au plus tard (année-mois-jour)
income-low = revenu faible
income-lower_middle = revenu intermédiaire inférieur
income-upper_middle = revenu intermédiaire supérieur
income-high = revenu élevé
nam-member = État membre
nam-observer = État observateur
nav-duplicates = Doublons
duplicates-title = Contributions signalées deux fois
duplicates-intro = Paires qui semblent décrire un même flux : même donateur, bénéficiaire et article, quantités à 5 % près et premières dates à 30 jours près. La fusion garde les deux historiques ; le rapport fusionné cesse de compter.
pair-matched_reports = le même flux, signalé par les deux parties
pair-suspected_duplicate = doublon présumé
col-days-apart = Jours d’écart
button-merge = Fusionner { $duplicate } dans l’autre
merged = Les rapports ont été fusionnés. Les deux historiques sont conservés.
nav-catalogue = Catalogue
catalogue-title = Le catalogue des articles
catalogue-add = Ajouter un article
field-item-code = Code de l’article
hint-item-code = Majuscules, chiffres et traits d’union, par exemple SHL-FAMILY-TENT.
field-name-en = Nom en anglais
field-category = Catégorie
hint-unit = Par exemple piece, kit, tonne ou house.
field-unit-kind = Nature de l’unité
field-decimals = Décimales permises
field-dac-sector = Secteur CAD de l’OCDE
hint-dac-sector = Le code objet à cinq chiffres, par exemple 12250.
field-unit-value = Valeur unitaire (dollars des États-Unis)
field-unit-value-source = Source de la valeur
field-unit-value-date = Date de la valeur
button-add-item = Ajouter l’article
button-retire = Retirer { $code }
item-retired = retiré
item-saved = Le catalogue a été modifié.
nav-allocations = Allocation
alloc-title = Répartir un approvisionnement rare
alloc-intro = Choisissez l’article, la quantité disponible et la règle. L’aperçu montre chaque part avec sa raison et chaque vérification ; rien n’est enregistré avant qu’une proposition soit enregistrée puis engagée.
field-supply = Quantité disponible
field-policy = Règle
hint-policy = population-cap répartit selon la population jusqu’à un plafond, comme COVAX ; need-proportional selon le besoin non couvert ; max-min relève d’abord les moins bien servis ; priority sert d’abord les besoins critiques.
field-eligible = Qui peut recevoir
hint-eligible = nam-members, who:AFR, income:low, m49:002 ou country:KEN.
field-cap = Plafond (part de la population)
hint-cap = population-cap seulement ; 0,20 par défaut.
field-buffer = Réserve humanitaire
hint-buffer = population-cap seulement : la part mise de côté ; 0,05 par défaut.
field-lot = Taille du lot
field-min-shipment = Plus petit envoi
field-earmark = Affectation
hint-earmark = Facultatif, par exemple nam-members=50%.
field-supplier = Fournisseur
hint-supplier = Pour enregistrer une proposition : la partie qui fournit, par exemple COVAX ou WHO.
button-preview = Voir les parts
button-propose = Enregistrer comme proposition
button-commit = Engager : enregistrer les contributions
alloc-result = Les parts
slider-supply = Essayez une autre quantité disponible : les parts bougent avec le curseur
alloc-allocated = Alloué
alloc-unallocated = Non alloué
alloc-before = Couvert avant
alloc-after = Couvert après
alloc-reason = Pourquoi
alloc-checks = Vérifications
alloc-proposals = Propositions
proposal-title = Proposition { $id }
http-400 = Requête incorrecte
http-401 = Non authentifié
http-403 = Interdit
http-404 = Introuvable
http-409 = Conflit
http-412 = Précondition non remplie
http-413 = Contenu trop volumineux
http-422 = Contenu non traitable
http-428 = Précondition requise
http-429 = Trop de requêtes
http-500 = Erreur interne du serveur
http-503 = Service indisponible
evidence-title = Justificatifs
field-evidence-url = Lien
hint-evidence-url = Une adresse commençant par https://, par exemple une évaluation en ligne.
field-evidence-title = Ce qu’il montre
field-evidence-file = Fichier
hint-evidence-file = Un fichier PDF, PNG ou JPEG, jusqu’à 5 Mio : une évaluation ou un bon de livraison signé.
button-add-link = Ajouter le lien
button-add-file = Ajouter le fichier
error-evidence-file = Le fichier n’a pas pu être pris : ce doit être un PDF, PNG ou JPEG d’au plus { $size }.
evidence-added = Le justificatif a été ajouté.

# Pledging against several needs
pledge-several-title = Promesse pour { $count } besoins
field-quantity-for = Quantité pour { $need }
pledge-cannot-title = Cette promesse ne peut pas être faite
pledge-none = Choisissez au moins un besoin ouvert que vous pouvez voir.
pledge-too-many = Une promesse peut viser au plus 50 besoins.
pledge-mixed = Une promesse porte un article vers un pays. Les besoins choisis concernent des pays ou des articles différents : faites une promesse pour chacun.
col-select = Choisir
pick-need = Choisir le besoin { $id }
pledge-several-hint = Cochez des besoins d’un même pays pour un même article, puis faites une seule promesse.
button-pledge-several = Promettre pour les besoins cochés
upload-broken-title = Le fichier envoyé n’a pas pu être lu

# Table downloads
yes = oui
no = non
col-passed = Réussi
col-kept = Conservée
col-duplicate = Doublon

# Correcting a contribution
correct-title = Corriger la contribution { $id }
correct-intro = Corrigez ce qui a été promis ou envoyé, la date et l’objet. Le donateur, le bénéficiaire et l’article restent : un flux erroné est annulé puis saisi à nouveau. L’historique garde chaque version.
button-correct = Corriger cette contribution
contribution-corrected = La contribution a été corrigée.
field-amount = Montant
field-source-url = Source (adresse web)
field-external-id = Votre référence

# Editing a catalogue item
item-edit-title = Modifier { $item }
item-edit-intro = Le code, l’unité et ses décimales ne changent jamais, car les quantités enregistrées y sont comptées. Une nouvelle valeur unitaire réévalue les besoins et les biens estimés à partir d’elle.
hint-unit-value-clear = Laissez vide pour retirer la valeur.
button-edit-item = Modifier { $code }

# API tokens
tokens-title = Jetons d’API
tokens-intro = Un script ou un autre système utilise un jeton à la place de votre mot de passe, envoyé comme « Authorization: Bearer … ». Il peut faire ce que vous pouvez faire. Le jeton n’est montré qu’une fois ; gardez-le en lieu sûr et révoquez-le quand il ne sert plus.
token-shown-once = Votre nouveau jeton. Il n’est montré que maintenant : copiez-le.
tokens-add = Créer un jeton
tokens-yours = Vos jetons
field-token-name = Nom
hint-token-name = À quoi il sert, par exemple « envoi mensuel du système de stocks ».
field-token-days = Durée en jours
hint-token-days = De 1 à 3650. Laissez vide pour un jeton sans expiration.
button-add-token = Créer le jeton
col-token-start = Commence par
col-token-expires = Expire
token-revoked = révoqué
button-revoke-token = Révoquer { $name }
token-revoked-notice = Le jeton a été révoqué.
nav-tokens = Jetons d’API

# Allocation: within and what-if recipients
field-within = Au sein de chaque priorité, répartir selon
hint-within = Pour la règle de priorité seulement.
within-default = max-min (par défaut)
field-recipients = Bénéficiaires hypothétiques (CSV)
hint-recipients = Facultatif. Une ligne d’en-tête, puis un pays par ligne : iso3,population,need,capacity. Remplace le groupe admissible ; les chiffres absents viennent de la base.
field-file-only = Ne rien prendre dans la base : utiliser seulement les chiffres ci-dessus

# Country page exports
country-exports = Toutes les contributions à ce pays, pour d’autres systèmes :
export-xlsx = Excel
export-hxl = CSV HXL
export-iati = XML IATI 2.03

# Saved searches
searches-title = Recherches enregistrées
searches-intro = Suivez dans un lecteur de flux les besoins qui correspondent à une recherche : chaque nouveau besoin validé y apparaît. Enregistrez une recherche depuis la liste des besoins.
feed-shown-once = L’adresse de votre flux. Elle n’est montrée que maintenant : copiez-la dans votre lecteur de flux.
field-search-name = Nom de la recherche
hint-search-name = Par exemple « oxygène en Afrique de l’Est ».
button-follow-search = Enregistrer et suivre
col-filters = Filtres
button-forget-search = Ne plus suivre { $name }
search-forgotten = La recherche n’est plus suivie.
nav-searches = Recherches enregistrées
follow-search-summary = Suivre cette recherche dans un lecteur de flux

# Organisations
organisations-title = Organisations
organisations-add = Ajouter une organisation
organisations-list = Organisations qui donnent ou acheminent des contributions
field-org-code = Code
hint-org-code = Court et unique, par exemple UNICEF ou MSF.
field-org-name = Nom
field-org-type = Type
button-add-organisation = Ajouter l’organisation
organisation-added = L’organisation a été ajoutée.
nav-organisations = Organisations

# Audit check
audit-title = Vérifier le journal d’audit
audit-summary = { $entries } entrées du journal vérifiées en chaîne ; { $records } enregistrements comparés au dernier état que le journal en garde.
audit-intact = Le journal d’audit est intact et chaque enregistrement y correspond.
audit-first-bad = L’entrée { $entry } ne s’inscrit pas dans la chaîne : { $reason }
audit-mismatches = Enregistrements modifiés hors de needsdb
col-audit-entry = Entrée du journal

## Units of measure (unit-<code>), agreeing with $count.
quantity-with-unit = { $quantity } { $unit }
unit-bridge = { $count ->
    [one] pont
   *[other] ponts
}
unit-carton = { $count ->
    [one] carton
   *[other] cartons
}
unit-course = { $count ->
    [one] traitement
   *[other] traitements
}
unit-dose = { $count ->
    [one] dose
   *[other] doses
}
unit-facility = { $count ->
    [one] établissement
   *[other] établissements
}
unit-family = { $count ->
    [one] famille
   *[other] familles
}
unit-house = { $count ->
    [one] maison
   *[other] maisons
}
unit-household = { $count ->
    [one] ménage
   *[other] ménages
}
unit-kit = { $count ->
    [one] kit
   *[other] kits
}
unit-litre = { $count ->
    [one] litre
   *[other] litres
}
unit-pair = { $count ->
    [one] paire
   *[other] paires
}
unit-person = { $count ->
    [one] personne
   *[other] personnes
}
unit-piece = { $count ->
    [one] pièce
   *[other] pièces
}
unit-ration = { $count ->
    [one] ration
   *[other] rations
}
unit-school = { $count ->
    [one] école
   *[other] écoles
}
unit-square_kilometre = km²
unit-system = { $count ->
    [one] système
   *[other] systèmes
}
unit-tablet = { $count ->
    [one] comprimé
   *[other] comprimés
}
unit-test = { $count ->
    [one] test
   *[other] tests
}
unit-tonne = { $count ->
    [one] tonne
   *[other] tonnes
}
unit-unit = { $count ->
    [one] unité
   *[other] unités
}
unit-usd = { $count ->
    [one] dollar des États-Unis
   *[other] dollars des États-Unis
}

## Contributions list, countries list, offer matching.
contributions-exports = Contributions à ce pays, pour d'autres systèmes :
filter-donor = Donateur (code)
filter-recipient = Bénéficiaire (code)
filter-channel = Canal (code)
filter-stage = Étape
filter-kind = Nature
filter-date-from = Étape atteinte à partir du (année-mois-jour)
filter-date-to = Étape atteinte au plus tard le (année-mois-jour)
filter-un-region = Région (ONU)
kind-in_kind = en nature
kind-cash = en espèces
countries-title = Pays et zones
col-iso3 = Code ISO3
col-un-region = Région
col-population = Population
region-002 = Afrique
region-019 = Amériques
region-142 = Asie
region-150 = Europe
region-009 = Océanie
nam-none = hors du Mouvement
nav-countries = Pays
nav-offers = Rapprocher une offre
offers-title = Rapprocher une offre des besoins
offers-intro = Indiquez ce que vous pouvez donner. Les besoins ouverts qu'il pourrait couvrir sont classés par priorité, date et part non couverte, avec la quantité pour chacun. Ce que d'autres donateurs ont déjà annoncé ou promis est d'abord déduit.
hint-offer-country = Facultatif : codes ISO3, séparés par des virgules.
button-match = Trouver des besoins
offers-result = Besoins que cette offre pourrait couvrir
col-need = Besoin
col-open = Encore ouvert
col-unmet-share = Part non couverte
col-give = À donner
col-action = Action
pledge-this = Promettre ceci pour le besoin { $id }
offers-none = Aucun besoin ouvert ne correspond à cette offre.
item-created = créé
item-history = Modifications de cet article
feed-of-notifications = mes notifications
feed-of-notifications-hint = Un lecteur de flux peut suivre vos notifications à une adresse secrète, affichée une seule fois. Elle figure parmi vos recherches enregistrées, où vous pouvez l'arrêter.
button-follow-notifications = Suivre mes notifications dans un lecteur de flux

## Uploads: the list, one upload, and each problem's message and fix by its code.
imports-title = Vos fichiers envoyés
import-job-title = Envoi { $id }
import-state-queued = en attente
import-state-checking = en cours de vérification
import-state-writing = en cours d'écriture
import-state-done = terminé
import-state-failed = échec (rien n'a été écrit)
import-state-interrupted = interrompu (rien n'a été écrit)
import-state-written = écrit
import-state-checked = vérifié seulement
import-state-refused = non écrit : le fichier a des problèmes
import-list-link = Voir vos envois précédents
import-msg-unknown_item = Cet article ne figure pas au catalogue.
import-msg-unknown_country = Ce pays n'est pas connu.
import-msg-unknown_party = Cet État ou cette organisation n'est pas connu.
import-msg-unknown_currency = Ce n'est pas un code de monnaie.
import-msg-retired_item = Cet article a été retiré du catalogue.
import-msg-not_valued = Ces fonds ne peuvent pas être évalués au regard des besoins qu'ils financent.
import-msg-in_future = Cette date est dans le futur.
import-msg-in_past = Cette date est déjà passée.
import-msg-unknown_sector = Ce n'est pas un code de secteur du CAD.
import-msg-duplicate_external_id = Une autre ligne a déjà cet identifiant externe.
import-msg-not_editable = L'enregistrement portant cet identifiant externe ne peut plus être modifié par un fichier.
import-msg-mixed_decimal_style = Le fichier écrit les nombres de deux façons (point et virgule décimale).
import-msg-ambiguous_number = Ce nombre peut se lire de deux façons (1,500 ou 1.500).
import-msg-unreadable_cell = Cette cellule est illisible.
import-msg-suggestion = « { $written } » ressemble à un nom connu sans être identique.
import-msg-no_match = Ce nom ne correspond à rien de connu.
import-fix-required = Remplissez le champ { $field } de cette ligne.
import-fix-item = Choisissez un article dans la feuille Listes du modèle ou sur la page du catalogue.
import-fix-country = Écrivez le code ISO3 du pays, par exemple KEN ; la page Pays les liste.
import-fix-party = Écrivez un code ISO3 ou le code d'une organisation de la page Organisations.
import-fix-currency = Écrivez un code ISO 4217, par exemple USD ou EUR.
import-fix-choice = Choisissez l'une des valeurs de la liste déroulante du modèle pour { $field }.
import-fix-number = Écrivez { $field } sous forme d'un nombre supérieur à zéro, par exemple 1500 ou 2,5.
import-fix-decimals = Envoyez à nouveau le fichier en indiquant dans le formulaire comment il écrit les décimales.
import-fix-not-valued = Liez les fonds à un besoin financier, ou demandez au secrétariat de donner une valeur unitaire à l'article.
import-fix-in-future = Enregistrez l'étape une fois atteinte.
import-fix-sector = Écrivez un code de secteur du CAD à cinq chiffres, par exemple 72010.
import-fix-too-long = Raccourcissez { $field }.
import-fix-external-id = Donnez à la ligne un identifiant externe qui lui soit propre.
import-fix-date = Écrivez la date sous la forme année-mois-jour, par exemple 2027-06-30, ou mettez la cellule au format date.
import-fix-suggestion = Cochez le nom ci-dessous s'il est juste, ou écrivez le code dans le fichier.
import-fix-other = Corrigez cette cellule et envoyez à nouveau le fichier.

## Correcting a contribution's channel, links and earmarks.
field-channel = Canal
hint-channel = Facultatif : le code de l'organisation par laquelle passe la contribution, par exemple WHO.
field-links = Besoins qu'elle couvre
hint-links = Un besoin par ligne : le numéro du besoin, =, et la part de cette contribution qui lui revient, par exemple 132=60. Laissez vide pour ne lier aucun besoin.
field-earmarks = Affectations
hint-earmarks = Une par ligne : le groupe, =, et une part ou un montant, par exemple nam-members=50% ou who:AFR=2000000.

## API problem details by kind (Accept-Language).
problem-sign-in = Connectez-vous, ou envoyez un jeton d'API sous la forme « Authorization: Bearer ... ».
problem-wrong-password = L'adresse électronique ou le mot de passe est erroné.
problem-token-unknown = Le jeton d'API est inconnu, expiré ou révoqué.
problem-not-found = Introuvable : { $what }.
problem-no-address = Il n'y a rien à cette adresse.
problem-method = Cette adresse n'accepte pas cette méthode.
problem-timeout = La requête a pris trop de temps.
problem-internal = Une erreur s'est produite sur le serveur ; elle a été consignée.
problem-throttled = Trop de connexions échouées pour ce compte depuis cet endroit ; réessayez dans { $seconds } secondes.
problem-stale-version = Quelqu'un a modifié cet enregistrement depuis votre lecture. Relisez-le, puis faites votre modification.
problem-if-match-required = Envoyez le dernier ETag lu dans un en-tête If-Match, afin de n'écraser la modification de personne.
problem-json-only = Envoyez le corps en JSON, avec « Content-Type: application/json ».
problem-storage-full = Le stockage du serveur est plein, rien n'a été écrit ; un administrateur doit libérer de l'espace. Réessayez plus tard.
problem-read-only = La base de données est en lecture seule pour le moment, rien n'a été écrit. Réessayez plus tard.
problem-busy = La base de données est occupée par une autre écriture ; rien n'a été écrit. Réessayez dans un instant.
problem-unavailable = Le serveur ne peut pas le faire pour le moment ; rien n'a été écrit. Réessayez dans un instant.
problem-invalid-many = { $count } champs ne sont pas valides.

## Allocation: what-if recipients from a file.
field-recipients-file = Ou chargez les bénéficiaires hypothétiques depuis un fichier CSV
hint-recipients-file = Les mêmes colonnes que ci-dessus (iso3, population, need, capacity). Le texte du fichier est placé dans le champ ci-dessus, à vérifier avant l'aperçu.
button-load-recipients = Charger le fichier
error-recipients-file = Choisissez un fichier CSV de { $size } au plus
error-recipients-text = Le fichier n'est pas du texte UTF-8 : enregistrez-le depuis votre tableur en CSV UTF-8

## The dashboard: map, cluster bars, series, equity, earmarks.
nav-dashboard = Tableau de bord
dashboard-title = Besoins, livraisons et équité en un coup d'œil
dashboard-intro = Où les besoins ne sont pas couverts, ce qui est arrivé, et l'équité du partage. Chaque graphique a ses chiffres dans un tableau.
dashboard-where = Où les besoins ne sont pas couverts
dashboard-fair = L'équité des livraisons
dashboard-recent = Promesses et livraisons récentes
dashboard-earmarks = Affectations : ce qui a atteint chaque groupe
measure-usd = dollars des États-Unis
measure-all-items = Tous les articles, en dollars des États-Unis
map-title = Couverture des besoins par État, en { $measure }
map-desc = Une carte du monde : chacun des { $count } États ayant un besoin est coloré selon la part couverte, plus foncé là où elle est la plus faible ; les petits États sont des cercles. Le tableau ci-dessous donne les chiffres.
map-state-none = { $country } : aucun besoin compté
legend-class = { $from }–{ $to } % couvert
legend-none = aucun besoin compté
map-disclaimer = Les frontières et les noms indiqués et les désignations employées sur cette carte n'impliquent ni reconnaissance ni acceptation officielle de la part de l'Organisation des Nations Unies ou de needsdb.
table-of = Les chiffres : { $what }
clusters-title = Couverture par groupe sectoriel, en { $measure }
clusters-desc = Pour chaque groupe, une barre aussi longue que son besoin : ce qui est arrivé, ce qui est financé mais pas encore arrivé, ce qui est seulement promis et ce qui n'est pas couvert.
stack-delivered = arrivé
stack-pipeline = financé, en route
stack-promised = seulement promis
stack-unmet = non couvert
series-heading = Mois par mois
series-title = { $item }, mois par mois : nécessaire, promis, engagé et livré
series-desc = Quatre lignes au fil des mois : nécessaire (gris plein), promis (orange tireté), engagé (bleu pointillé) et livré (vert plein). Le tableau donne les chiffres.
series-choose-item = Choisissez un article ci-dessus pour le voir mois par mois.
col-month = Mois
equity-population = part de la population
equity-delivered = part des livraisons
equity-shares-title = Livraisons par groupe de revenu, face à la population
equity-lorenz-title = Courbe de Lorenz des livraisons par personne
equity-lorenz-desc = La part des livraisons reçue par la part de la population, les États étant classés du moins servi par personne au plus servi. La diagonale tiretée correspond à une part égale pour chacun.
equity-gini = Coefficient de Gini : { $gini } (0 : part égale par personne ; 1 : tout à un seul État)
equity-sentence = Les États à revenu élevé ont reçu { $high_delivered } % des livraisons pour { $high_population } % de la population ; les États à faible revenu { $low_delivered } % pour { $low_population } %.
equity-nothing = Rien n'a encore été livré : il n'y a pas de part à comparer.
equity-counts-cash = Compté : les espèces décaissées ou livrées, en dollars des États-Unis. Les biens se comptent article par article : choisissez un article pour comparer ses livraisons.
equity-counts-item = Compté : { $item } livré, en { $unit }.
equity-nothing-cash = Aucune somme en espèces n'a encore été décaissée ni livrée : il n'y a pas de part à comparer. Choisissez un article pour comparer les livraisons de biens.
equity-partial = Les États comptés ne comprennent pas à la fois des États à revenu élevé et à faible revenu ; le tableau donne les parts de chaque groupe.
earmark-earmarked = Affecté
earmark-reached = Parvenu au groupe
earmark-followed = respectée
earmark-not_yet_funded = pas encore financée
earmark-cancelled = annulée
earmark-not_valued = biens sans valeur connue
map-state = { $country } : { $coverage } % couvert, { $arrived } % arrivé, { $unmet } { $measure } non couverts
map-title-arrived = Part des besoins arrivée, par État, en { $measure }
legend-class-arrived = { $from }–{ $to } % arrivé
field-shade = Colorer la carte selon
shade-covered = part couverte (financée)
shade-arrived = part arrivée
country-chart-title = Ce que chaque besoin de { $country } a reçu : arrivé, en route, promis et non couvert, en parts du besoin
problem-general-forbidden = Votre compte ne peut pas faire cela.
problem-general-conflict = Cela contredit ce qui est déjà enregistré ; rien n'a été écrit.
problem-general-bad-request = La requête n'a pas pu être lue ; rien n'a été écrit.
import-msg-other = Cette cellule n'est pas correcte
coverage-by-group = Couverture par { $group }, en dollars des États-Unis
field-group-by = Regrouper le dernier tableau par
income-unclassified = non classé
