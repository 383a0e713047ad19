# needsdb web pages, English. Every key here must exist in every language
# (a test checks); country names come from the UN reference data.
site-name = needsdb
site-tagline = Humanitarian and medical needs, pledges and deliveries
skip-to-content = Skip to main content
language = Language
nav-overview = Overview
nav-needs = Needs
nav-new-need = Report a need
nav-contributions = Contributions
nav-sign-in = Sign in
nav-sign-out = Sign out
nav-password = Change password
signed-in-as = Signed in as { $email } ({ $role })
error-prefix = Error:
error-summary = There is a problem
footer-api = API reference
footer-note = Figures count validated needs. Boundaries and names imply no opinion of the United Nations or of needsdb.
role-admin = administrator
role-secretariat = secretariat
role-focal_point = focal point
role-partner = partner
role-viewer = viewer

# Overview
overview-title = What is still needed
overview-intro = Coverage of validated needs reported by member states. Committed counts contributions committed, shipped, disbursed or delivered.
coverage-by-country = Coverage by member state (US dollars)
coverage-by-cluster = Coverage by cluster (US dollars)
top-unmet = Critical needs with the largest gaps
col-country = Country
col-cluster = Cluster
col-item = Item
col-needs = Needs
col-needed = Needed
col-pledged = Pledged
col-committed = Committed
col-delivered = Delivered
col-unmet = Unmet
col-coverage = Covered
col-unit = Unit
col-quantity = Quantity
col-priority = Priority
col-needed-by = Needed by
col-status = Status
col-id = No.
col-donor = Donor
col-recipient = Recipient
col-stage = Stage
col-date = Date
col-note = Note
col-who = Who
col-version = Version
nothing-yet = Nothing to show yet.
download-csv = Download CSV
download-xlsx = Download Excel
percent = { $value } %

# Sign-in and passwords
sign-in-title = Sign in
field-email = Email address
field-password = Password
button-sign-in = Sign in
error-email-missing = Enter your email address
error-password-missing = Enter your password
error-sign-in-wrong = The email address or the password is wrong
error-throttled = Too many failed sign-ins for this account from here. Try again in { $seconds } seconds.
password-title = Change your password
password-one-time = You signed in with a one-time password. Choose your own password to continue.
field-current-password = Current password
field-new-password = New password
hint-new-password = At least 12 characters. A few unrelated words are easy to remember.
button-change-password = Change password
error-current-password-wrong = The current password is wrong
error-new-password-short = The new password must have at least 12 characters
password-changed = Your password was changed. Your other sessions were signed out.
signed-out = You are signed out.
error-csrf = This form has expired. Reload the page and send it again.
forbidden-title = You may not do this
forbidden-text = Your account does not allow this. Ask the secretariat if you think it should.
not-found-title = Page not found
not-found-text = Nothing is at this address, or you may not see it.
unavailable-title = The service is busy
unavailable-text = The database did not answer in time. Try again in a moment; nothing you sent was lost.

# Needs
needs-title = Needs
filter-title = Filter
filter-country = Country (ISO3 code)
filter-cluster = Cluster
filter-item = Item code
filter-priority = Priority
filter-status = Status
filter-any = Any
button-filter = Apply filters
next-page = Next page
need-title = Need { $id }
need-new-title = Report a need
need-edit-title = Edit need { $id }
field-country = Country
field-item = Item
field-quantity = Quantity
hint-quantity = In the item's unit, for example 1200 or 12.5.
field-priority = Priority
field-needed-by = Needed by
hint-needed-by = As year-month-day, for example 2027-06-30.
field-place = Place
hint-place = Optional: province, district or town.
field-justification = Why it is needed
field-people-in-need = People in need
field-people-targeted = People this need will reach
field-note = Note
hint-note = Shown in the need's history; the focal point sees why it was returned.
button-save-draft = Save as draft
button-save-submit = Save and submit for validation
button-save = Save changes
button-submit = Submit for validation
button-validate = Validate
button-return = Return to the focal point
button-withdraw = Withdraw
need-history = History
need-returned = Returned by the secretariat: { $note }
need-coverage = Coverage
need-actions = What you can do
need-created = The need was saved.
need-updated = The need was changed.
need-status-changed = The need is now { $status }.
priority-critical = critical
priority-high = high
priority-medium = medium
priority-low = low
status-draft = draft
status-submitted = submitted
status-validated = validated
status-partly_met = partly met
status-met = met
status-withdrawn = withdrawn
error-stale = Someone changed this record while you were editing it. Check the new version and try again.

# Contributions
pledge-title = Pledge against need { $id }
button-pledge = Record the pledge
field-donor = Donor
field-stage = Stage
field-stage-date = Date
field-description = Description
contribution-title = Contribution { $id }
contribution-created = The contribution was recorded.
contribution-advanced = The contribution is now { $stage }.
delivery-confirmed = The delivery was confirmed.
button-advance = Move to this stage
delivery-title = Confirm a delivery
field-delivered-quantity = Quantity that arrived
hint-delivered-quantity = What actually arrived, even if less than was shipped.
field-delivered-on = Arrived on
button-confirm-delivery = Confirm delivery
contributions-title = Contributions
stage-announced = announced
stage-pledged = pledged
stage-committed = committed
stage-shipped = shipped
stage-disbursed = disbursed
stage-delivered = delivered
stage-cancelled = cancelled
outstanding = Not yet delivered: { $quantity }

# Country page
country-title = { $country }
country-needs = Needs and their coverage
country-contributions = Contributions to { $country }
country-deliveries = Delivery confirmations

# Dates: the month names as used after a day number.
date-format = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

# Field errors, by the code the rules give; err-other keeps the rule's own words.
err-required = Enter the { $field }
err-not_a_number = The { $field } must be a number, such as 1500 or 2.5
err-negative = The { $field } cannot be below zero
err-not_positive = The { $field } must be more than zero
err-too_precise = The { $field } has more decimals than its unit allows
err-too_large = The { $field } is too large
err-invalid_date = The { $field } must be a date written as year-month-day, such as 2027-06-30
err-invalid_choice = Choose a { $field } from the list
err-too_long = The { $field } is too long
err-other = { $field }: { $message }

# Notifications and accounts
nav-inbox = Notifications
nav-accounts = Accounts
inbox-title = Notifications and follow-up
inbox-notices = Notifications
inbox-follow-up = Waiting for follow-up (30 days or more)
inbox-mine = Your contributions
col-what = What
col-party = With
col-since = Since
col-days-waiting = Days waiting
col-outstanding = Not yet delivered
notice-pledge = A pledge against your need
notice-need_validated = Your need was validated
notice-need_returned = Your need was returned
notice-need_withdrawn = A need was withdrawn
notice-need_submitted = A need awaits validation
notice-awaiting_confirmation = A shipment awaits your confirmation
notice-delivery_confirmed = A delivery was confirmed
notice-follow_up = Due for follow-up
accounts-title = Accounts
accounts-add = Add an account
field-role = Role
field-org = Organisation or donor state
hint-account-country = For a focal point: the member state's ISO3 code, such as KEN.
hint-account-org = For a partner: the party code, such as WHO or IND.
button-add-account = Add the account
one-time-shown = One-time password for { $email }, shown only now. Give it to its owner by a safe channel; it must be changed at first sign-in.
account-disabled = Disabled
account-saved = The account was changed. It takes effect at once for every session and token.
button-reset-password = Give a new one-time password
button-disable = Disable the account
button-enable = Enable the account

# Uploads
nav-import = Upload a file
import-title = Upload needs or contributions
import-intro = Upload the Excel template, an HXL CSV file or JSON. The file is checked first and nothing is written until every row is right.
import-template = Download the Excel template
field-file = File
hint-file = Excel (.xlsx), HXL CSV (.csv) or JSON, up to 64 MiB.
field-decimal = Decimal mark in the file
hint-decimal = How numbers typed as text are written. If you do not know, a number that reads two ways is reported, never guessed.
decimal-unknown = I do not know
decimal-point = A point: 1,500.5
decimal-comma = A comma: 1.500,5
button-check-file = Check the file
error-file-missing = Choose a file to upload
error-file-too-large = The file is larger than { $size }. Split it, or ask an administrator to import it on the server.
error-upload-broken = The upload broke off. Try again.
import-busy = Too many imports are waiting on this server. Try again in a minute.
import-gone = This upload is no longer waiting. Upload the file again.
import-report = The file was checked
import-done = The file was imported
import-file = File: { $file }
import-rows = Rows read
import-created = New records
import-updated = Records changed
import-unchanged = Records unchanged
import-problem-count = Problems
import-written = Every row was written.
import-problems = Problems, by row and column
col-row = Row
col-column = Column
col-fix = How to fix it
import-suggestions = Names close to a known one
hint-suggestions = Tick each one that is right. A name left unticked stays a problem, and nothing is written.
button-import = Import the file
import-fix-and-upload = Nothing was written. Fix these rows in your file and upload it again.

# More filters
filter-who-region = WHO region
filter-income-group = Income group
filter-nam-status = NAM status
filter-region = UN M49 region code
filter-needed-from = Needed from (year-month-day)
filter-needed-to = Needed by, at the latest (year-month-day)
income-low = low income
income-lower_middle = lower-middle income
income-upper_middle = upper-middle income
income-high = high income
nam-member = member state
nam-observer = observer state

# Duplicates
nav-duplicates = Duplicates
duplicates-title = Contributions reported twice
duplicates-intro = Pairs that look like one flow: the same donor, recipient and item, quantities within 5 % and first dates within 30 days. Merging keeps both histories; the merged report stops counting.
pair-matched_reports = the same flow, reported by both sides
pair-suspected_duplicate = suspected duplicate
col-days-apart = Days apart
button-merge = Merge { $duplicate } into the other
merged = The reports were merged. Both histories are kept.

# Catalogue
nav-catalogue = Catalogue
catalogue-title = The item catalogue
catalogue-add = Add an item
field-item-code = Item code
hint-item-code = Capital letters, digits and hyphens, such as SHL-FAMILY-TENT.
field-name-en = Name in English
field-category = Category
hint-unit = Such as piece, kit, tonne or house.
field-unit-kind = Kind of unit
field-decimals = Decimals allowed
field-dac-sector = OECD DAC sector
hint-dac-sector = The five-digit purpose code, such as 12250.
field-unit-value = Unit value (US dollars)
field-unit-value-source = Where the value comes from
field-unit-value-date = Date of the value
button-add-item = Add the item
button-retire = Retire { $code }
item-retired = retired
item-saved = The catalogue was changed.

# Allocation
nav-allocations = Allocation
alloc-title = Share a scarce supply
alloc-intro = Choose the item, the supply and the rule. Preview shows every share with its reason and every check; nothing is written until a proposal is saved and committed.
field-supply = Supply
field-policy = Rule
hint-policy = population-cap shares by population up to a cap, as COVAX did; need-proportional by unmet need; max-min raises the worst served first; priority serves critical needs first.
field-eligible = Who may receive
hint-eligible = nam-members, who:AFR, income:low, m49:002 or country:KEN.
field-cap = Cap (share of population)
hint-cap = population-cap only; 0.20 by default.
field-buffer = Humanitarian buffer
hint-buffer = population-cap only: the share held back; 0.05 by default.
field-lot = Lot size
field-min-shipment = Smallest shipment
field-earmark = Earmark
hint-earmark = Optional, such as nam-members=50%.
field-supplier = Supplier
hint-supplier = To save a proposal: the party whose supply it is, such as COVAX or WHO.
button-preview = Preview the shares
button-propose = Save as a proposal
button-commit = Commit: record the contributions
alloc-result = The shares
slider-supply = Try another supply: the shares move as you slide
alloc-allocated = Allocated
alloc-unallocated = Not allocated
alloc-before = Covered before
alloc-after = Covered after
alloc-reason = Why
alloc-checks = Checks
alloc-proposals = Proposals
proposal-title = Proposal { $id }

# API problem titles, by HTTP status
http-400 = Bad Request
http-401 = Unauthorized
http-403 = Forbidden
http-404 = Not Found
http-409 = Conflict
http-412 = Precondition Failed
http-413 = Content Too Large
http-422 = Unprocessable Content
http-428 = Precondition Required
http-429 = Too Many Requests
http-500 = Internal Server Error
http-503 = Service Unavailable

# Evidence
evidence-title = Evidence
field-evidence-url = Link
hint-evidence-url = An address starting with https://, such as an online assessment.
field-evidence-title = What it shows
field-evidence-file = File
hint-evidence-file = A PDF, PNG or JPEG file, up to 5 MiB: an assessment or a signed delivery note.
button-add-link = Add the link
button-add-file = Add the file
error-evidence-file = The file could not be taken: it must be a PDF, PNG or JPEG of at most { $size }.
evidence-added = The evidence was added.

# Pledging against several needs
pledge-several-title = Pledge against { $count } needs
field-quantity-for = Quantity for { $need }
pledge-cannot-title = This pledge cannot be made
pledge-none = Choose at least one need you can see and that is open.
pledge-too-many = One pledge can name at most 50 needs.
pledge-mixed = A pledge carries one item to one country. The needs you chose are for different countries or items: pledge against them separately.
col-select = Select
pick-need = Select need { $id }
pledge-several-hint = Tick needs of one country for one item, then pledge against them together.
button-pledge-several = Pledge against the ticked needs
upload-broken-title = The upload could not be read

# Table downloads
yes = yes
no = no
col-passed = Passed
col-kept = Kept
col-duplicate = Duplicate

# Correcting a contribution
correct-title = Correct contribution { $id }
correct-intro = Correct what was pledged or sent, when, and what it is for. The donor, the recipient and the item stay: a wrong flow is cancelled and recorded anew. The history keeps every version.
button-correct = Correct this contribution
contribution-corrected = The contribution was corrected.
field-amount = Amount
field-source-url = Source (web address)
field-external-id = Your reference

# Editing a catalogue item
item-edit-title = Edit { $item }
item-edit-intro = The code, the unit and its decimals never change, because stored quantities are counted in them. A new unit value revalues the needs and the goods estimated from it.
hint-unit-value-clear = Leave empty to remove the value.
button-edit-item = Edit { $code }

# API tokens
tokens-title = API tokens
tokens-intro = A script or another system uses a token instead of your password, sent as 'Authorization: Bearer …'. It can do what you can do. The token is shown once; keep it safe, and revoke it when it is no longer used.
token-shown-once = Your new token. It is shown only now: copy it.
tokens-add = Create a token
tokens-yours = Your tokens
field-token-name = Name
hint-token-name = What it is for, such as 'monthly upload from the stock system'.
field-token-days = Days it lasts
hint-token-days = 1 to 3650. Leave empty for a token that does not expire.
button-add-token = Create the token
col-token-start = Starts with
col-token-expires = Expires
token-revoked = revoked
button-revoke-token = Revoke { $name }
token-revoked-notice = The token was revoked.
nav-tokens = API tokens

# Allocation: within and what-if recipients
field-within = Within each priority, share by
hint-within = For the priority rule only.
within-default = max-min (the default)
field-recipients = What-if recipients (CSV)
hint-recipients = Optional. A header line, then one country a line: iso3,population,need,capacity. It replaces the eligible group; figures left out come from the database.
field-file-only = Take nothing from the database: use only the figures above

# Country page exports
country-exports = All contributions to this country, for other systems:
export-xlsx = Excel
export-hxl = HXL CSV
export-iati = IATI 2.03 XML

# Saved searches
searches-title = Saved searches
searches-intro = Follow the needs that match a search in any feed reader: each new validated need appears there. Save a search from the needs list.
feed-shown-once = The address of your feed. It is shown only now: copy it into your feed reader.
field-search-name = Name of the search
hint-search-name = Such as 'oxygen in East Africa'.
button-follow-search = Save and follow
col-filters = Filters
button-forget-search = Stop following { $name }
search-forgotten = The search is no longer followed.
nav-searches = Saved searches
follow-search-summary = Follow this search in a feed reader

# Organisations
organisations-title = Organisations
organisations-add = Add an organisation
organisations-list = Organisations that give or pass on contributions
field-org-code = Code
hint-org-code = Short and unique, such as UNICEF or MSF.
field-org-name = Name
field-org-type = Type
button-add-organisation = Add the organisation
organisation-added = The organisation was added.
nav-organisations = Organisations

# Audit check
audit-title = Check the audit log
audit-summary = { $entries } log entries checked as a chain; { $records } records compared with the last state the log holds for them.
audit-intact = The audit log is intact, and every record matches it.
audit-first-bad = Entry { $entry } does not fit the chain: { $reason }
audit-mismatches = Records changed outside needsdb
col-audit-entry = Log entry

## Units of measure (unit-<code>), agreeing with $count.
quantity-with-unit = { $quantity } { $unit }
unit-bridge = { $count ->
    [one] bridge
   *[other] bridges
}
unit-carton = { $count ->
    [one] carton
   *[other] cartons
}
unit-course = { $count ->
    [one] course
   *[other] courses
}
unit-dose = { $count ->
    [one] dose
   *[other] doses
}
unit-facility = { $count ->
    [one] facility
   *[other] facilities
}
unit-family = { $count ->
    [one] family
   *[other] families
}
unit-house = { $count ->
    [one] house
   *[other] houses
}
unit-household = { $count ->
    [one] household
   *[other] households
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
    [one] pair
   *[other] pairs
}
unit-person = { $count ->
    [one] person
   *[other] people
}
unit-piece = { $count ->
    [one] piece
   *[other] pieces
}
unit-ration = { $count ->
    [one] ration
   *[other] rations
}
unit-school = { $count ->
    [one] school
   *[other] schools
}
unit-square_kilometre = km²
unit-system = { $count ->
    [one] system
   *[other] systems
}
unit-tablet = { $count ->
    [one] tablet
   *[other] tablets
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
    [one] unit
   *[other] units
}
unit-usd = US$

## Contributions list, countries list, offer matching.
contributions-exports = Contributions to this country, for other systems:
filter-donor = Donor (code)
filter-recipient = Recipient (code)
filter-channel = Channel (code)
filter-stage = Stage
filter-kind = Kind
filter-date-from = Stage reached from (year-month-day)
filter-date-to = Stage reached by (year-month-day)
filter-un-region = UN region
kind-in_kind = in kind
kind-cash = cash
countries-title = Countries and areas
col-iso3 = ISO3 code
col-un-region = Region
col-population = Population
region-002 = Africa
region-019 = Americas
region-142 = Asia
region-150 = Europe
region-009 = Oceania
nam-none = not in the Movement
nav-countries = Countries
nav-offers = Match an offer
offers-title = Match an offer to needs
offers-intro = Say what you can give. The open needs it could fill are listed by priority, date needed and unmet share, with the amount for each. What other donors have already announced or pledged is taken off first.
hint-offer-country = Optional: ISO3 codes, separated by commas.
button-match = Find needs
offers-result = Needs this offer could fill
col-need = Need
col-open = Still open
col-unmet-share = Unmet share
col-give = To give
col-action = Action
pledge-this = Pledge this to need { $id }
offers-none = No open need matches this offer.
item-created = created
item-history = Changes to this item
feed-of-notifications = my notifications
feed-of-notifications-hint = A feed reader can follow your notifications at a secret address, shown once. It is listed with your saved searches, where you can stop it.
button-follow-notifications = Follow my notifications in a feed reader

## Uploads: the list, one upload, and each problem's message and fix by its code.
imports-title = Your uploads
import-job-title = Upload { $id }
import-state-queued = waiting
import-state-checking = being checked
import-state-writing = being written
import-state-done = finished
import-state-failed = failed (nothing written)
import-state-interrupted = interrupted (nothing written)
import-state-written = written
import-state-checked = checked only
import-state-refused = not written: the file has problems
import-list-link = See your earlier uploads
import-msg-unknown_item = This is not an item of the catalogue.
import-msg-unknown_country = This is not a country we know.
import-msg-unknown_party = This is not a state or organisation we know.
import-msg-unknown_currency = This is not a currency code.
import-msg-retired_item = This item has been retired from the catalogue.
import-msg-not_valued = This cash cannot be valued against the needs it funds.
import-msg-in_future = This date is in the future.
import-msg-in_past = This date is already past.
import-msg-unknown_sector = This is not a DAC sector code.
import-msg-duplicate_external_id = Another row already has this external id.
import-msg-not_editable = The record with this external id can no longer be changed from a file.
import-msg-mixed_decimal_style = The file writes numbers in two ways (decimal point and decimal comma).
import-msg-ambiguous_number = This number could be read two ways (1,500 or 1.500).
import-msg-unreadable_cell = This cell cannot be read.
import-msg-suggestion = “{ $written }” is close to a known name but not the same.
import-msg-no_match = This name matches nothing we know.
import-fix-required = Fill in the { $field } in this row.
import-fix-item = Choose an item from the template's Lists sheet or the catalogue page.
import-fix-country = Write the country's ISO3 code, such as KEN; the Countries page lists them.
import-fix-party = Write an ISO3 code or an organisation code from the Organisations page.
import-fix-currency = Write an ISO 4217 code such as USD or EUR.
import-fix-choice = Choose one of the values the template's drop-down list offers for the { $field }.
import-fix-number = Write the { $field } as a number above zero, such as 1500 or 2.5.
import-fix-decimals = Upload the file again and say on the form how it writes decimals.
import-fix-not-valued = Link the cash to a financial need, or ask the secretariat to give the item a unit value.
import-fix-in-future = Record the stage once it is reached.
import-fix-sector = Write a five-digit DAC sector code, such as 72010.
import-fix-too-long = Shorten the { $field }.
import-fix-external-id = Give the row an external id of its own.
import-fix-date = Write the date as year-month-day, such as 2027-06-30, or format the cell as a date.
import-fix-suggestion = Tick the name below if it is right, or write the code in the file.
import-fix-other = Correct this cell and upload the file again.

## Correcting a contribution's channel, links and earmarks.
field-channel = Channel
hint-channel = Optional: the code of the organisation the contribution passes through, such as WHO.
field-links = Needs it serves
hint-links = One need a line: the need's number, =, and the part of this contribution for it, such as 132=60. Leave it empty to link no need.
field-earmarks = Earmarks
hint-earmarks = One a line: the group, =, and a share or an amount, such as nam-members=50% or who:AFR=2000000.

## API problem details by kind (Accept-Language).
problem-sign-in = Sign in, or send an API token as 'Authorization: Bearer ...'.
problem-wrong-password = The email address or the password is wrong.
problem-token-unknown = The API token is unknown, expired or revoked.
problem-not-found = Not found: { $what }.
problem-no-address = There is nothing at this address.
problem-method = This address does not take that method.
problem-timeout = The request took too long.
problem-internal = Something went wrong on the server; it has been logged.
problem-throttled = Too many failed sign-ins for this account from here; try again in { $seconds } seconds.
problem-stale-version = Someone changed this record since you read it. Read it again, then make your change.
problem-if-match-required = Send the ETag you last read in an If-Match header, so that no one else's change is overwritten.
problem-json-only = Send the body as JSON, with 'Content-Type: application/json'.
problem-storage-full = The server's storage is full, so nothing was written; an administrator must free space. Try again later.
problem-read-only = The database is read-only just now, so nothing was written. Try again later.
problem-busy = The database is busy with another write; nothing was written. Try again in a moment.
problem-unavailable = The server cannot do this just now; nothing was written. Try again in a moment.
problem-invalid-many = { $count } fields are not valid.

## Allocation: what-if recipients from a file.
field-recipients-file = Or load the what-if recipients from a CSV file
hint-recipients-file = The same columns as above (iso3, population, need, capacity). The file's text goes into the field above, to check before the preview.
button-load-recipients = Load the file
error-recipients-file = Choose a CSV file of at most { $size }
error-recipients-text = The file is not text in UTF-8: save it from your spreadsheet as CSV UTF-8

## The dashboard: map, cluster bars, series, equity, earmarks.
nav-dashboard = Dashboard
dashboard-title = Needs, deliveries and fairness at a glance
dashboard-intro = Where need is unmet, what has arrived, and how fairly supplies were shared. Every chart has its figures in a table.
dashboard-where = Where need is unmet
dashboard-fair = How fairly deliveries were shared
dashboard-recent = Recent pledges and deliveries
dashboard-earmarks = Earmarks: how much reached each group
measure-usd = US dollars
measure-all-items = All items, in US dollars
map-title = Coverage of need by state, in { $measure }
map-desc = A world map: each of the { $count } states with a need is coloured by the share of it covered, darkest where least is covered; small states are circles. The table below has the figures.
map-state-none = { $country }: no need counted
legend-class = { $from }–{ $to } % covered
legend-none = no need counted
map-disclaimer = The boundaries and names shown and the designations used on this map do not imply official endorsement or acceptance by the United Nations or by needsdb.
table-of = The figures: { $what }
clusters-title = Coverage by cluster, in { $measure }
clusters-desc = For each cluster, one bar as long as its need: what arrived, what is funded but not yet arrived, what is only promised, and what is unmet.
stack-delivered = arrived
stack-pipeline = funded, on its way
stack-promised = promised only
stack-unmet = unmet
series-heading = Month by month
series-title = { $item }, month by month: needed, pledged, committed and delivered
series-desc = Four lines over the months: needed (solid grey), pledged (dashed orange), committed (dotted blue) and delivered (solid green). The table has the figures.
series-choose-item = Choose an item above to see it month by month.
col-month = Month
equity-population = share of population
equity-delivered = share of deliveries
equity-shares-title = Deliveries by income group beside population
equity-lorenz-title = Lorenz curve of deliveries per person
equity-lorenz-desc = The share of deliveries received by the share of people, states ordered from the least served per person. The dashed diagonal is an equal share for every person.
equity-gini = Gini coefficient: { $gini } (0 is an equal share per person, 1 is everything to one state)
equity-sentence = High-income states received { $high_delivered } % of deliveries for { $high_population } % of the population; low-income states { $low_delivered } % for { $low_population } %.
equity-nothing = Nothing has been delivered yet, so there is no share to compare.
equity-counts-cash = Counted: cash disbursed or delivered, in US$. Goods are counted item by item: choose an item to compare its deliveries.
equity-counts-item = Counted: { $item } delivered, in { $unit }.
equity-nothing-cash = No cash has been disbursed or delivered yet, so there is no share to compare. Choose an item to compare deliveries of goods.
equity-partial = The states counted do not include both high-income and low-income states; the table gives each group's shares.
earmark-earmarked = Earmarked
earmark-reached = Reached the group
earmark-followed = followed
earmark-not_yet_funded = not yet funded
earmark-cancelled = cancelled
earmark-not_valued = goods of no known value
map-state = { $country }: { $coverage } % covered, { $arrived } % arrived, { $unmet } { $measure } unmet
map-title-arrived = Share of need that has arrived, by state, in { $measure }
legend-class-arrived = { $from }–{ $to } % arrived
field-shade = Colour the map by
shade-covered = share covered (funded)
shade-arrived = share arrived
country-chart-title = What each need of { $country } has received: arrived, on its way, promised and unmet, as shares of the need
problem-general-forbidden = Your account may not do this.
problem-general-conflict = This conflicts with what is already recorded; nothing was written.
problem-general-bad-request = The request could not be read; nothing was written.
import-msg-other = This cell is not right
coverage-by-group = Coverage by { $group }, in US dollars
field-group-by = Group the last table by
income-unclassified = not classified
