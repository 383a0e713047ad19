site-name = needsdb
site-tagline = الاحتياجات الإنسانية والطبية والتعهدات وعمليات التسليم
skip-to-content = الانتقال إلى المحتوى الرئيسي
language = اللغة
nav-overview = نظرة عامة
nav-needs = الاحتياجات
nav-new-need = الإبلاغ عن احتياج
nav-contributions = المساهمات
nav-sign-in = تسجيل الدخول
nav-sign-out = تسجيل الخروج
nav-password = تغيير كلمة المرور
signed-in-as = تم تسجيل الدخول باسم { $email } ({ $role })
error-prefix = خطأ:
error-summary = توجد مشكلة
footer-api = مرجع واجهة البرمجة
footer-note = تحتسب الأرقام الاحتياجات المعتمدة. ولا تنطوي الحدود والأسماء على أي رأي للأمم المتحدة أو لـ needsdb.
role-admin = مسؤول النظام
role-secretariat = الأمانة
role-focal_point = جهة اتصال
role-partner = شريك
role-viewer = قارئ
overview-title = ما لا يزال مطلوبًا
overview-intro = تغطية الاحتياجات المعتمدة التي أبلغت عنها الدول الأعضاء. يشمل «الملتزم به» المساهمات الملتزم بها والمشحونة والمصروفة والمسلّمة.
coverage-by-country = التغطية حسب الدولة العضو (بدولارات الولايات المتحدة)
coverage-by-cluster = التغطية حسب المجموعة القطاعية (بدولارات الولايات المتحدة)
top-unmet = الاحتياجات الحرجة ذات الفجوات الأكبر
col-country = البلد
col-cluster = المجموعة القطاعية
col-item = الصنف
col-needs = الاحتياجات
col-needed = المطلوب
col-pledged = المتعهد به
col-committed = الملتزم به
col-delivered = المسلَّم
col-unmet = غير المُلبّى
col-coverage = نسبة التغطية
col-unit = الوحدة
col-quantity = الكمية
col-priority = الأولوية
col-needed-by = مطلوب بحلول
col-status = الحالة
col-id = الرقم
col-donor = الجهة المانحة
col-recipient = الجهة المستفيدة
col-stage = المرحلة
col-date = التاريخ
col-note = ملاحظة
col-who = من
col-version = الإصدار
nothing-yet = لا يوجد ما يُعرض بعد.
download-csv = تنزيل بصيغة CSV
download-xlsx = تنزيل بصيغة Excel
percent = { $value }٪
sign-in-title = تسجيل الدخول
field-email = البريد الإلكتروني
field-password = كلمة المرور
button-sign-in = تسجيل الدخول
error-email-missing = أدخل بريدك الإلكتروني
error-password-missing = أدخل كلمة المرور
error-sign-in-wrong = البريد الإلكتروني أو كلمة المرور غير صحيحة
error-throttled = محاولات دخول فاشلة كثيرة لهذا الحساب من هذا المكان. أعد المحاولة بعد { $seconds } ثانية.
password-title = تغيير كلمة المرور
password-one-time = لقد سجلت الدخول بكلمة مرور لمرة واحدة. اختر كلمة مرور خاصة بك للمتابعة.
field-current-password = كلمة المرور الحالية
field-new-password = كلمة المرور الجديدة
hint-new-password = 12 حرفًا على الأقل. من السهل تذكر بضع كلمات لا رابط بينها.
button-change-password = تغيير كلمة المرور
error-current-password-wrong = كلمة المرور الحالية غير صحيحة
error-new-password-short = يجب أن تتكون كلمة المرور الجديدة من 12 حرفًا على الأقل
password-changed = تم تغيير كلمة المرور. وأُنهيت جلساتك الأخرى.
signed-out = لقد سجلت الخروج.
error-csrf = انتهت صلاحية هذا النموذج. أعد تحميل الصفحة وأرسله مرة أخرى.
forbidden-title = لا يحق لك القيام بذلك
forbidden-text = لا يسمح حسابك بذلك. راجع الأمانة إن كنت ترى أنه ينبغي أن يسمح به.
not-found-title = الصفحة غير موجودة
not-found-text = لا يوجد شيء على هذا العنوان، أو لا يحق لك رؤيته.
unavailable-title = الخدمة مشغولة
unavailable-text = لم تستجب قاعدة البيانات في الوقت المحدد. أعد المحاولة بعد قليل؛ لم يُفقد شيء مما أرسلته.
needs-title = الاحتياجات
filter-title = التصفية
filter-country = البلد (رمز ISO3)
filter-cluster = المجموعة القطاعية
filter-item = رمز الصنف
filter-priority = الأولوية
filter-status = الحالة
filter-any = الكل
button-filter = تطبيق التصفية
next-page = الصفحة التالية
need-title = الاحتياج { $id }
need-new-title = الإبلاغ عن احتياج
need-edit-title = تعديل الاحتياج { $id }
field-country = البلد
field-item = الصنف
field-quantity = الكمية
hint-quantity = بوحدة الصنف، مثل 1200 أو 12.5.
field-priority = الأولوية
field-needed-by = مطلوب بحلول
hint-needed-by = بصيغة السنة-الشهر-اليوم، مثل 2027-06-30.
field-place = المكان
hint-place = اختياري: المحافظة أو المنطقة أو المدينة.
field-justification = سبب الحاجة
field-people-in-need = الأشخاص المحتاجون
field-people-targeted = الأشخاص الذين سيصل إليهم
field-note = ملاحظة
hint-note = تظهر في سجل الاحتياج؛ وترى جهة الاتصال سبب إعادته.
button-save-draft = حفظ كمسودة
button-save-submit = حفظ وتقديم للاعتماد
button-save = حفظ التغييرات
button-submit = تقديم للاعتماد
button-validate = اعتماد
button-return = إعادة إلى جهة الاتصال
button-withdraw = سحب
need-history = السجل
need-returned = أعادته الأمانة: { $note }
need-coverage = التغطية
need-actions = ما يمكنك القيام به
need-created = تم حفظ الاحتياج.
need-updated = تم تعديل الاحتياج.
need-status-changed = حالة الاحتياج الآن: { $status }.
priority-critical = حرجة
priority-high = عالية
priority-medium = متوسطة
priority-low = منخفضة
status-draft = مسودة
status-submitted = مقدَّم
status-validated = معتمد
status-partly_met = مُلبّى جزئيًا
status-met = مُلبّى
status-withdrawn = مسحوب
error-stale = غيّر شخص آخر هذا السجل أثناء تعديلك له. راجع الإصدار الجديد وأعد المحاولة.
pledge-title = التعهد مقابل الاحتياج { $id }
button-pledge = تسجيل التعهد
field-donor = الجهة المانحة
field-stage = المرحلة
field-stage-date = التاريخ
field-description = الوصف
contribution-title = المساهمة { $id }
contribution-created = تم تسجيل المساهمة.
contribution-advanced = مرحلة المساهمة الآن: { $stage }.
delivery-confirmed = تم تأكيد التسليم.
button-advance = الانتقال إلى هذه المرحلة
delivery-title = تأكيد التسليم
field-delivered-quantity = الكمية التي وصلت
hint-delivered-quantity = ما وصل فعلًا، حتى لو كان أقل مما شُحن.
field-delivered-on = تاريخ الوصول
button-confirm-delivery = تأكيد التسليم
contributions-title = المساهمات
stage-announced = معلنة
stage-pledged = متعهد بها
stage-committed = ملتزم بها
stage-shipped = مشحونة
stage-disbursed = مصروفة
stage-delivered = مسلّمة
stage-cancelled = ملغاة
outstanding = لم يُسلَّم بعد: { $quantity }
country-title = { $country }
country-needs = الاحتياجات وتغطيتها
country-contributions = المساهمات المقدمة إلى { $country }
country-deliveries = تأكيدات التسليم
date-format = { $day } { $month } { $year }
month-1 = يناير
month-2 = فبراير
month-3 = مارس
month-4 = أبريل
month-5 = مايو
month-6 = يونيو
month-7 = يوليو
month-8 = أغسطس
month-9 = سبتمبر
month-10 = أكتوبر
month-11 = نوفمبر
month-12 = ديسمبر
err-required = أدخل { $field }
err-not_a_number = يجب أن يكون { $field } رقمًا، مثل 1500 أو 2.5
err-negative = لا يمكن أن يكون { $field } أقل من الصفر
err-not_positive = يجب أن يكون { $field } أكبر من الصفر
err-too_precise = يحتوي { $field } على منازل عشرية أكثر مما تسمح به وحدته
err-too_large = قيمة { $field } كبيرة جدًا
err-invalid_date = يجب كتابة { $field } تاريخًا بصيغة السنة-الشهر-اليوم، مثل 2027-06-30
err-invalid_choice = اختر { $field } من القائمة
err-too_long = نص { $field } طويل جدًا
err-other = { $field }: { $message }
nav-inbox = الإشعارات
nav-accounts = الحسابات
inbox-title = الإشعارات والمتابعة
inbox-notices = الإشعارات
inbox-follow-up = بانتظار المتابعة (30 يومًا أو أكثر)
inbox-mine = مساهماتك
col-what = ماذا
col-party = مع
col-since = منذ
col-days-waiting = أيام الانتظار
col-outstanding = لم يُسلَّم بعد
notice-pledge = تعهد مقابل احتياجك
notice-need_validated = تم اعتماد احتياجك
notice-need_returned = أُعيد احتياجك
notice-need_withdrawn = سُحب احتياج
notice-need_submitted = احتياج بانتظار الاعتماد
notice-awaiting_confirmation = شحنة بانتظار تأكيدك
notice-delivery_confirmed = تم تأكيد تسليم
notice-follow_up = تستحق المتابعة
accounts-title = الحسابات
accounts-add = إضافة حساب
field-role = الدور
field-org = المنظمة أو الدولة المانحة
hint-account-country = لجهة الاتصال: رمز ISO3 للدولة العضو، مثل KEN.
hint-account-org = للشريك: رمز الطرف، مثل WHO أو IND.
button-add-account = إضافة الحساب
one-time-shown = كلمة مرور لمرة واحدة لـ { $email }، تُعرض الآن فقط. سلّمها إلى صاحبها عبر قناة آمنة؛ ويجب تغييرها عند أول تسجيل دخول.
account-disabled = معطَّل
account-saved = تم تغيير الحساب. ويسري التغيير فورًا على كل جلسة ورمز.
button-reset-password = منح كلمة مرور جديدة لمرة واحدة
button-disable = تعطيل الحساب
button-enable = تفعيل الحساب
nav-import = رفع ملف
import-title = رفع الاحتياجات أو المساهمات
import-intro = ارفع نموذج Excel أو ملف HXL CSV أو JSON. يُفحص الملف أولًا ولا يُحفظ أي شيء حتى تصبح كل الصفوف صحيحة.
import-template = تنزيل نموذج Excel
field-file = الملف
hint-file = Excel (.xlsx) أو HXL CSV (.csv) أو JSON، حتى 64 ميبيبايت.
field-decimal = الفاصلة العشرية في الملف
hint-decimal = كيف تُكتب الأرقام المدخلة كنص. إن لم تكن تعرف، يُبلَّغ عن الرقم الذي يُقرأ بطريقتين ولا يُخمَّن أبدًا.
decimal-unknown = لا أعرف
decimal-point = نقطة: 1,500.5
decimal-comma = فاصلة: 1.500,5
button-check-file = فحص الملف
error-file-missing = اختر ملفًا لرفعه
error-file-too-large = الملف أكبر من { $size }. قسّمه، أو اطلب من مسؤول النظام استيراده على الخادم.
error-upload-broken = انقطع الرفع. أعد المحاولة.
import-busy = توجد عمليات استيراد كثيرة بانتظار هذا الخادم. أعد المحاولة بعد دقيقة.
import-gone = لم يعد هذا الملف المرفوع بالانتظار. ارفع الملف مرة أخرى.
import-report = تم فحص الملف
import-done = تم استيراد الملف
import-file = الملف: { $file }
import-rows = الصفوف المقروءة
import-created = سجلات جديدة
import-updated = سجلات معدّلة
import-unchanged = سجلات بلا تغيير
import-problem-count = المشكلات
import-written = تمت كتابة كل الصفوف.
import-problems = المشكلات حسب الصف والعمود
col-row = الصف
col-column = العمود
col-fix = كيفية الإصلاح
import-suggestions = أسماء قريبة من اسم معروف
hint-suggestions = ضع علامة على كل اسم صحيح. يبقى الاسم غير المحدد مشكلة، ولا يُكتب أي شيء.
button-import = استيراد الملف
import-fix-and-upload = لم يُكتب أي شيء. أصلح هذه الصفوف في ملفك وارفعه مرة أخرى.
filter-who-region = إقليم منظمة الصحة العالمية
filter-income-group = فئة الدخل
filter-nam-status = الوضع في حركة عدم الانحياز
filter-region = رمز منطقة M49 للأمم المتحدة
filter-needed-from = مطلوب ابتداءً من (السنة-الشهر-اليوم)
filter-needed-to = مطلوب في موعد أقصاه (السنة-الشهر-اليوم)
income-low = دخل منخفض
income-lower_middle = دخل متوسط أدنى
income-upper_middle = دخل متوسط أعلى
income-high = دخل مرتفع
nam-member = دولة عضو
nam-observer = دولة مراقبة
nav-duplicates = التكرارات
duplicates-title = مساهمات أُبلغ عنها مرتين
duplicates-intro = أزواج تبدو تدفقًا واحدًا: الجهة المانحة والمستفيدة والصنف نفسها، والكميات ضمن 5٪ والتواريخ الأولى ضمن 30 يومًا. يحتفظ الدمج بالسجلين؛ ويتوقف احتساب التقرير المدموج.
pair-matched_reports = التدفق نفسه، أبلغ عنه الطرفان
pair-suspected_duplicate = تكرار مشتبه به
col-days-apart = الفارق بالأيام
button-merge = دمج { $duplicate } في الآخر
merged = تم دمج التقريرين، مع الاحتفاظ بالسجلين.
nav-catalogue = الكتالوج
catalogue-title = كتالوج الأصناف
catalogue-add = إضافة صنف
field-item-code = رمز الصنف
hint-item-code = أحرف لاتينية كبيرة وأرقام وشرطات، مثل SHL-FAMILY-TENT.
field-name-en = الاسم بالإنكليزية
field-category = الفئة
hint-unit = مثل piece أو kit أو tonne أو house.
field-unit-kind = نوع الوحدة
field-decimals = المنازل العشرية المسموح بها
field-dac-sector = قطاع لجنة المساعدة الإنمائية
hint-dac-sector = رمز الغرض المكوّن من خمسة أرقام، مثل 12250.
field-unit-value = قيمة الوحدة (بدولارات الولايات المتحدة)
field-unit-value-source = مصدر القيمة
field-unit-value-date = تاريخ القيمة
button-add-item = إضافة الصنف
button-retire = إيقاف { $code }
item-retired = موقوف
item-saved = تم تغيير الكتالوج.
nav-allocations = التخصيص
alloc-title = توزيع إمدادات شحيحة
alloc-intro = اختر الصنف والكمية المتاحة والقاعدة. تعرض المعاينة كل حصة مع سببها وكل تحقق؛ ولا يُكتب شيء حتى يُحفظ مقترح ويُلتزم به.
field-supply = الكمية المتاحة
field-policy = القاعدة
hint-policy = population-cap يوزع حسب السكان حتى سقف، كما فعل كوفاكس؛ need-proportional حسب الاحتياج غير الملبى؛ max-min يرفع الأقل حظًا أولًا؛ priority يخدم الاحتياجات الحرجة أولًا.
field-eligible = من يحق له الاستلام
hint-eligible = nam-members أو who:AFR أو income:low أو m49:002 أو country:KEN.
field-cap = السقف (نسبة من السكان)
hint-cap = لقاعدة population-cap فقط؛ 0.20 افتراضيًا.
field-buffer = الاحتياطي الإنساني
hint-buffer = لقاعدة population-cap فقط: الحصة المحتجزة؛ 0.05 افتراضيًا.
field-lot = حجم الدفعة
field-min-shipment = أصغر شحنة
field-earmark = التخصيص المشروط
hint-earmark = اختياري، مثل nam-members=50%.
field-supplier = المورّد
hint-supplier = لحفظ مقترح: الطرف صاحب الإمدادات، مثل COVAX أو WHO.
button-preview = معاينة الحصص
button-propose = حفظ كمقترح
button-commit = الالتزام: تسجيل المساهمات
alloc-result = الحصص
slider-supply = جرّب كمية توريد أخرى: تتغير الحصص مع تحريك المؤشر
alloc-allocated = المخصص
alloc-unallocated = غير المخصص
alloc-before = المغطى قبل
alloc-after = المغطى بعد
alloc-reason = السبب
alloc-checks = عمليات التحقق
alloc-proposals = المقترحات
proposal-title = المقترح { $id }
http-400 = طلب غير صالح
http-401 = غير مصادق عليه
http-403 = محظور
http-404 = غير موجود
http-409 = تعارض
http-412 = فشل الشرط المسبق
http-413 = المحتوى كبير جدًا
http-422 = محتوى غير قابل للمعالجة
http-428 = الشرط المسبق مطلوب
http-429 = طلبات كثيرة جدًا
http-500 = خطأ داخلي في الخادم
http-503 = الخدمة غير متاحة
evidence-title = الأدلة
field-evidence-url = الرابط
hint-evidence-url = عنوان يبدأ بـ https://، مثل تقييم منشور على الإنترنت.
field-evidence-title = ما الذي يبيّنه
field-evidence-file = الملف
hint-evidence-file = ملف PDF أو PNG أو JPEG، حتى 5 ميبيبايت: تقييم أو إشعار تسليم موقّع.
button-add-link = إضافة الرابط
button-add-file = إضافة الملف
error-evidence-file = تعذّر أخذ الملف: يجب أن يكون PDF أو PNG أو JPEG بحجم لا يتجاوز { $size }.
evidence-added = تمت إضافة الدليل.

# Pledging against several needs
pledge-several-title = تعهد لـ { $count } احتياجات
field-quantity-for = الكمية لـ { $need }
pledge-cannot-title = لا يمكن تسجيل هذا التعهد
pledge-none = اختر احتياجًا مفتوحًا واحدًا على الأقل يمكنك رؤيته.
pledge-too-many = يمكن أن يشمل التعهد الواحد 50 احتياجًا على الأكثر.
pledge-mixed = يحمل التعهد صنفًا واحدًا إلى بلد واحد. الاحتياجات المختارة لبلدان أو أصناف مختلفة: سجّل تعهدًا لكل منها.
col-select = اختيار
pick-need = اختيار الاحتياج { $id }
pledge-several-hint = حدّد احتياجات بلد واحد لصنف واحد، ثم سجّل تعهدًا واحدًا لها.
button-pledge-several = التعهد للاحتياجات المحددة
upload-broken-title = تعذّرت قراءة الملف المرفوع

# Table downloads
yes = نعم
no = لا
col-passed = ناجح
col-kept = المُبقاة
col-duplicate = المكررة

# Correcting a contribution
correct-title = تصحيح المساهمة { $id }
correct-intro = صحّح ما تم التعهد به أو إرساله وتاريخه والغرض منه. يبقى المانح والمستفيد والصنف كما هم: يُلغى التدفق الخاطئ ويُسجَّل من جديد. يحتفظ السجل بكل نسخة.
button-correct = تصحيح هذه المساهمة
contribution-corrected = تم تصحيح المساهمة.
field-amount = المبلغ
field-source-url = المصدر (عنوان ويب)
field-external-id = مرجعك

# Editing a catalogue item
item-edit-title = تعديل { $item }
item-edit-intro = لا يتغير الرمز ولا الوحدة ولا منازلها العشرية أبدًا، لأن الكميات المخزنة تُحسب بها. القيمة الجديدة للوحدة تعيد تقييم الاحتياجات والسلع المقدّرة بها.
hint-unit-value-clear = اتركه فارغًا لحذف القيمة.
button-edit-item = تعديل { $code }

# API tokens
tokens-title = رموز واجهة البرمجة
tokens-intro = يستخدم برنامج نصي أو نظام آخر رمزًا بدلًا من كلمة مرورك، يُرسل على شكل 'Authorization: Bearer …'. ويمكنه فعل ما يمكنك فعله. يُعرض الرمز مرة واحدة؛ احفظه في مكان آمن وألغِه عندما لا يعود مستخدمًا.
token-shown-once = رمزك الجديد. لا يُعرض إلا الآن: انسخه.
tokens-add = إنشاء رمز
tokens-yours = رموزك
field-token-name = الاسم
hint-token-name = الغرض منه، مثل 'الرفع الشهري من نظام المخزون'.
field-token-days = عدد أيام الصلاحية
hint-token-days = من 1 إلى 3650. اتركه فارغًا لرمز لا تنتهي صلاحيته.
button-add-token = إنشاء الرمز
col-token-start = يبدأ بـ
col-token-expires = تنتهي صلاحيته
token-revoked = ملغى
button-revoke-token = إلغاء { $name }
token-revoked-notice = تم إلغاء الرمز.
nav-tokens = رموز واجهة البرمجة

# Allocation: within and what-if recipients
field-within = داخل كل أولوية، التوزيع حسب
hint-within = لقاعدة الأولوية فقط.
within-default = max-min (الافتراضي)
field-recipients = مستفيدون افتراضيون (CSV)
hint-recipients = اختياري. سطر عناوين، ثم بلد في كل سطر: iso3,population,need,capacity. يحل محل المجموعة المؤهلة؛ والأرقام غير المذكورة تؤخذ من قاعدة البيانات.
field-file-only = لا تأخذ شيئًا من قاعدة البيانات: استخدم الأرقام أعلاه فقط

# Country page exports
country-exports = كل المساهمات المقدمة إلى هذا البلد، لأنظمة أخرى:
export-xlsx = Excel
export-hxl = HXL CSV
export-iati = IATI 2.03 XML

# Saved searches
searches-title = عمليات البحث المحفوظة
searches-intro = تابع في قارئ الخلاصات الاحتياجات المطابقة لبحث ما: يظهر فيه كل احتياج جديد معتمد. احفظ البحث من قائمة الاحتياجات.
feed-shown-once = عنوان خلاصتك. لا يُعرض إلا الآن: انسخه إلى قارئ الخلاصات.
field-search-name = اسم البحث
hint-search-name = مثل 'الأكسجين في شرق أفريقيا'.
button-follow-search = حفظ ومتابعة
col-filters = عوامل التصفية
button-forget-search = إيقاف متابعة { $name }
search-forgotten = لم يعد البحث متابَعًا.
nav-searches = عمليات البحث المحفوظة
follow-search-summary = متابعة هذا البحث في قارئ الخلاصات

# Organisations
organisations-title = المنظمات
organisations-add = إضافة منظمة
organisations-list = المنظمات التي تقدم المساهمات أو تنقلها
field-org-code = الرمز
hint-org-code = قصير وفريد، مثل UNICEF أو MSF.
field-org-name = الاسم
field-org-type = النوع
button-add-organisation = إضافة المنظمة
organisation-added = تمت إضافة المنظمة.
nav-organisations = المنظمات

# Audit check
audit-title = فحص سجل التدقيق
audit-summary = تم فحص { $entries } من قيود السجل كسلسلة؛ وقورن { $records } سجلًا بآخر حالة يحفظها السجل لها.
audit-intact = سجل التدقيق سليم، وكل سجل يطابقه.
audit-first-bad = القيد { $entry } لا يتسق مع السلسلة: { $reason }
audit-mismatches = سجلات غُيّرت خارج needsdb
col-audit-entry = قيد السجل

## Units of measure (unit-<code>), agreeing with $count.
quantity-with-unit = { $quantity } { $unit }
unit-bridge = { $count ->
    [few] جسور
   *[other] جسر
}
unit-carton = { $count ->
    [few] كراتين
   *[other] كرتونة
}
unit-course = { $count ->
    [few] دورات علاجية
   *[other] دورة علاجية
}
unit-dose = { $count ->
    [few] جرعات
   *[other] جرعة
}
unit-facility = { $count ->
    [few] مرافق
   *[other] مرفق
}
unit-family = { $count ->
    [few] أسر
   *[other] أسرة
}
unit-house = { $count ->
    [few] منازل
   *[other] منزل
}
unit-household = { $count ->
    [few] أسر معيشية
   *[other] أسرة معيشية
}
unit-kit = { $count ->
    [few] مجموعات
   *[other] مجموعة
}
unit-litre = { $count ->
    [few] لترات
   *[other] لتر
}
unit-pair = { $count ->
    [few] أزواج
   *[other] زوج
}
unit-person = { $count ->
    [few] أشخاص
   *[other] شخص
}
unit-piece = { $count ->
    [few] قطع
   *[other] قطعة
}
unit-ration = { $count ->
    [few] حصص غذائية
   *[other] حصة غذائية
}
unit-school = { $count ->
    [few] مدارس
   *[other] مدرسة
}
unit-square_kilometre = كم²
unit-system = { $count ->
    [few] نظم
   *[other] نظام
}
unit-tablet = { $count ->
    [few] أقراص
   *[other] قرص
}
unit-test = { $count ->
    [few] اختبارات
   *[other] اختبار
}
unit-tonne = { $count ->
    [few] أطنان
   *[other] طن
}
unit-unit = { $count ->
    [few] وحدات
   *[other] وحدة
}
unit-usd = { $count ->
    [few] دولارات أمريكية
   *[other] دولار أمريكي
}

## Contributions list, countries list, offer matching.
contributions-exports = المساهمات المقدمة إلى هذا البلد، لأنظمة أخرى:
filter-donor = الجهة المانحة (الرمز)
filter-recipient = الجهة المتلقية (الرمز)
filter-channel = القناة (الرمز)
filter-stage = المرحلة
filter-kind = النوع
filter-date-from = المرحلة بلغت اعتبارا من (سنة-شهر-يوم)
filter-date-to = المرحلة بلغت في موعد أقصاه (سنة-شهر-يوم)
filter-un-region = المنطقة (الأمم المتحدة)
kind-in_kind = عينية
kind-cash = نقدية
countries-title = البلدان والمناطق
col-iso3 = رمز ISO3
col-un-region = المنطقة
col-population = السكان
region-002 = أفريقيا
region-019 = الأمريكتان
region-142 = آسيا
region-150 = أوروبا
region-009 = أوقيانوسيا
nam-none = ليست عضوا في الحركة
nav-countries = البلدان
nav-offers = مطابقة عرض
offers-title = مطابقة عرض مع الاحتياجات
offers-intro = اذكر ما يمكنك تقديمه. تُدرج الاحتياجات المفتوحة التي يمكن أن يلبيها حسب الأولوية وتاريخ الحاجة والحصة غير الملباة، مع الكمية لكل منها. ويُخصم أولا ما أعلنه أو تعهد به مانحون آخرون.
hint-offer-country = اختياري: رموز ISO3 مفصولة بفواصل.
button-match = البحث عن احتياجات
offers-result = الاحتياجات التي يمكن أن يلبيها هذا العرض
col-need = الاحتياج
col-open = لا يزال مفتوحا
col-unmet-share = الحصة غير الملباة
col-give = الكمية المقترحة
col-action = الإجراء
pledge-this = التعهد بهذا للاحتياج { $id }
offers-none = لا يوجد احتياج مفتوح يطابق هذا العرض.
item-created = أُنشئ
item-history = التغييرات على هذا الصنف
feed-of-notifications = إشعاراتي
feed-of-notifications-hint = يمكن لقارئ الخلاصات متابعة إشعاراتك على عنوان سري يُعرض مرة واحدة. ويُدرج مع عمليات البحث المحفوظة، حيث يمكنك إيقافه.
button-follow-notifications = متابعة إشعاراتي في قارئ الخلاصات

## Uploads: the list, one upload, and each problem's message and fix by its code.
imports-title = الملفات التي رفعتها
import-job-title = الرفع { $id }
import-state-queued = قيد الانتظار
import-state-checking = قيد التحقق
import-state-writing = قيد الكتابة
import-state-done = انتهى
import-state-failed = فشل (لم يُكتب شيء)
import-state-interrupted = توقف (لم يُكتب شيء)
import-state-written = كُتب
import-state-checked = تم التحقق فقط
import-state-refused = لم يُكتب: في الملف مشكلات
import-list-link = عرض الملفات التي رفعتها سابقا
import-msg-unknown_item = هذا ليس صنفا من أصناف الفهرس.
import-msg-unknown_country = هذا ليس بلدا معروفا.
import-msg-unknown_party = هذه ليست دولة أو منظمة معروفة.
import-msg-unknown_currency = هذا ليس رمز عملة.
import-msg-retired_item = سُحب هذا الصنف من الفهرس.
import-msg-not_valued = لا يمكن تقييم هذا المبلغ النقدي مقابل الاحتياجات التي يموّلها.
import-msg-in_future = هذا التاريخ في المستقبل.
import-msg-in_past = هذا التاريخ قد مضى.
import-msg-unknown_sector = هذا ليس رمز قطاع لدى لجنة المساعدة الإنمائية.
import-msg-duplicate_external_id = هناك صف آخر يحمل هذا المعرف الخارجي.
import-msg-not_editable = لم يعد من الممكن تغيير السجل الذي يحمل هذا المعرف الخارجي من ملف.
import-msg-mixed_decimal_style = يكتب الملف الأرقام بطريقتين (فاصلة عشرية ونقطة عشرية).
import-msg-ambiguous_number = يمكن قراءة هذا الرقم بطريقتين (1,500 أو 1.500).
import-msg-unreadable_cell = لا يمكن قراءة هذه الخلية.
import-msg-suggestion = «{ $written }» قريب من اسم معروف لكنه ليس مطابقا له.
import-msg-no_match = هذا الاسم لا يطابق أي اسم معروف.
import-fix-required = املأ الحقل { $field } في هذا الصف.
import-fix-item = اختر صنفا من ورقة القوائم في النموذج أو من صفحة الفهرس.
import-fix-country = اكتب رمز ISO3 للبلد، مثل KEN؛ وتسردها صفحة البلدان.
import-fix-party = اكتب رمز ISO3 أو رمز منظمة من صفحة المنظمات.
import-fix-currency = اكتب رمزا وفق ISO 4217 مثل USD أو EUR.
import-fix-choice = اختر إحدى القيم التي تعرضها القائمة المنسدلة في النموذج للحقل { $field }.
import-fix-number = اكتب { $field } رقما أكبر من الصفر، مثل 1500 أو 2.5.
import-fix-decimals = ارفع الملف مرة أخرى واذكر في الاستمارة كيف يكتب الكسور العشرية.
import-fix-not-valued = اربط المبلغ النقدي باحتياج مالي، أو اطلب من الأمانة تحديد قيمة للوحدة من الصنف.
import-fix-in-future = سجّل المرحلة بعد بلوغها.
import-fix-sector = اكتب رمز قطاع من خمسة أرقام، مثل 72010.
import-fix-too-long = اختصر { $field }.
import-fix-external-id = أعط الصف معرفا خارجيا خاصا به.
import-fix-date = اكتب التاريخ بصيغة سنة-شهر-يوم، مثل 2027-06-30، أو نسّق الخلية كتاريخ.
import-fix-suggestion = ضع علامة على الاسم أدناه إن كان صحيحا، أو اكتب الرمز في الملف.
import-fix-other = صحّح هذه الخلية وارفع الملف مرة أخرى.

## Correcting a contribution's channel, links and earmarks.
field-channel = القناة
hint-channel = اختياري: رمز المنظمة التي تمر عبرها المساهمة، مثل WHO.
field-links = الاحتياجات التي تلبيها
hint-links = احتياج واحد في كل سطر: رقم الاحتياج، ثم =، ثم الجزء المخصص له من هذه المساهمة، مثل 132=60. اتركه فارغا لعدم ربط أي احتياج.
field-earmarks = التخصيصات
hint-earmarks = واحد في كل سطر: المجموعة، ثم =، ثم حصة أو مبلغ، مثل nam-members=50% أو who:AFR=2000000.

## API problem details by kind (Accept-Language).
problem-sign-in = سجّل الدخول، أو أرسل رمز واجهة البرمجة بالصيغة 'Authorization: Bearer ...'.
problem-wrong-password = عنوان البريد الإلكتروني أو كلمة المرور غير صحيح.
problem-token-unknown = رمز واجهة البرمجة غير معروف أو منتهي الصلاحية أو ملغى.
problem-not-found = غير موجود: { $what }.
problem-no-address = لا يوجد شيء في هذا العنوان.
problem-method = هذا العنوان لا يقبل هذه الطريقة.
problem-timeout = استغرق الطلب وقتا أطول من اللازم.
problem-internal = حدث خطأ في الخادم، وقد سُجّل.
problem-throttled = محاولات دخول فاشلة كثيرة لهذا الحساب من هنا؛ حاول مرة أخرى بعد { $seconds } ثانية.
problem-stale-version = غيّر شخص ما هذا السجل منذ قراءتك له. اقرأه مرة أخرى ثم أجرِ تغييرك.
problem-if-match-required = أرسل آخر ETag قرأته في ترويسة If-Match، حتى لا يُكتب فوق تغيير أجراه غيرك.
problem-json-only = أرسل المحتوى بصيغة JSON مع 'Content-Type: application/json'.
problem-storage-full = مساحة تخزين الخادم ممتلئة، فلم يُكتب شيء؛ على المسؤول إخلاء مساحة. حاول لاحقا.
problem-read-only = قاعدة البيانات للقراءة فقط حاليا، فلم يُكتب شيء. حاول لاحقا.
problem-busy = قاعدة البيانات مشغولة بعملية كتابة أخرى؛ لم يُكتب شيء. حاول بعد لحظات.
problem-unavailable = لا يستطيع الخادم القيام بذلك حاليا؛ لم يُكتب شيء. حاول بعد لحظات.
problem-invalid-many = { $count } حقول غير صالحة.

## Allocation: what-if recipients from a file.
field-recipients-file = أو حمّل الجهات المتلقية الافتراضية من ملف CSV
hint-recipients-file = الأعمدة نفسها الواردة أعلاه (iso3, population, need, capacity). يوضع نص الملف في الحقل أعلاه لمراجعته قبل المعاينة.
button-load-recipients = تحميل الملف
error-recipients-file = اختر ملف CSV لا يتجاوز { $size }
error-recipients-text = الملف ليس نصا بترميز UTF-8: احفظه من برنامج الجداول بصيغة CSV UTF-8

## The dashboard: map, cluster bars, series, equity, earmarks.
nav-dashboard = لوحة المتابعة
dashboard-title = الاحتياجات والتسليمات والإنصاف في لمحة
dashboard-intro = أين لم تُلبَّ الاحتياجات، وما الذي وصل، ومدى إنصاف توزيع الإمدادات. لكل رسم بياني جدول بأرقامه.
dashboard-where = أين لم تُلبَّ الاحتياجات
dashboard-fair = مدى إنصاف توزيع التسليمات
dashboard-recent = التعهدات والتسليمات الأخيرة
dashboard-earmarks = التخصيصات: ما وصل إلى كل مجموعة
measure-usd = دولارات الولايات المتحدة
measure-all-items = جميع الأصناف، بدولارات الولايات المتحدة
map-title = تغطية الاحتياجات حسب الدولة، بـ{ $measure }
map-desc = خريطة للعالم: كل دولة من الدول الـ{ $count } التي لديها احتياج ملونة بحسب الحصة المغطاة، والأغمق حيث التغطية أقل؛ والدول الصغيرة دوائر. والجدول أدناه يتضمن الأرقام.
map-state-none = { $country }: لا احتياج محسوب
legend-class = مغطى { $from }–{ $to } %
legend-none = لا احتياج محسوب
map-disclaimer = إن الحدود والأسماء المبينة والتسميات المستخدمة في هذه الخريطة لا تعني إقرارا أو قبولا رسميا من جانب الأمم المتحدة أو needsdb.
table-of = الأرقام: { $what }
clusters-title = التغطية حسب المجموعة القطاعية، بـ{ $measure }
clusters-desc = لكل مجموعة شريط بطول احتياجها: ما وصل، وما مُوّل ولم يصل بعد، وما وُعد به فقط، وما لم يُلبَّ.
stack-delivered = وصل
stack-pipeline = مموّل، في الطريق
stack-promised = موعود به فقط
stack-unmet = غير ملبى
series-heading = شهرا بشهر
series-title = { $item }، شهرا بشهر: المطلوب والمتعهد به والملتزم به والمسلَّم
series-desc = أربعة خطوط على مدى الأشهر: المطلوب (رمادي متصل)، والمتعهد به (برتقالي متقطع)، والملتزم به (أزرق منقط)، والمسلَّم (أخضر متصل). والجدول يتضمن الأرقام.
series-choose-item = اختر صنفا أعلاه لعرضه شهرا بشهر.
col-month = الشهر
equity-population = الحصة من السكان
equity-delivered = الحصة من التسليمات
equity-shares-title = التسليمات حسب فئة الدخل مقارنة بالسكان
equity-lorenz-title = منحنى لورنز للتسليمات للفرد
equity-lorenz-desc = حصة التسليمات التي تلقتها حصة السكان، مع ترتيب الدول من الأقل حصولا للفرد. والقطر المتقطع يمثل حصة متساوية لكل فرد.
equity-gini = معامل جيني: { $gini } (0 حصة متساوية للفرد، و1 كل شيء لدولة واحدة)
equity-sentence = تلقت الدول المرتفعة الدخل { $high_delivered } % من التسليمات مقابل { $high_population } % من السكان، والدول المنخفضة الدخل { $low_delivered } % مقابل { $low_population } %.
equity-nothing = لم يُسلَّم شيء بعد، فلا توجد حصص للمقارنة.
equity-counts-cash = المحسوب: النقدية المصروفة أو المسلَّمة، بدولارات الولايات المتحدة. تُحسب السلع صنفًا صنفًا: اختر صنفًا لمقارنة تسليماته.
equity-counts-item = المحسوب: ما سُلِّم من { $item }، بوحدة { $unit }.
equity-nothing-cash = لم تُصرف أو تُسلَّم أي نقدية بعد، فلا توجد حصص للمقارنة. اختر صنفًا لمقارنة تسليمات السلع.
equity-partial = لا تشمل الدول المحسوبة دولا مرتفعة الدخل ومنخفضة الدخل معا؛ ويبين الجدول حصص كل فئة.
earmark-earmarked = المخصص
earmark-reached = وصل إلى المجموعة
earmark-followed = مُتّبع
earmark-not_yet_funded = لم يُموَّل بعد
earmark-cancelled = ملغى
earmark-not_valued = سلع بلا قيمة معروفة
map-state = { $country }: مغطى { $coverage } %، ووصل { $arrived } %، وغير ملبى { $unmet } { $measure }
map-title-arrived = حصة الاحتياج التي وصلت، حسب الدولة، بـ{ $measure }
legend-class-arrived = وصل { $from }–{ $to } %
field-shade = تلوين الخريطة حسب
shade-covered = الحصة المغطاة (الممولة)
shade-arrived = الحصة التي وصلت
country-chart-title = ما تلقاه كل احتياج لـ{ $country }: ما وصل وما في الطريق وما وُعد به وما لم يُلبَّ، كحصص من الاحتياج
problem-general-forbidden = لا يجوز لحسابك القيام بذلك.
problem-general-conflict = يتعارض هذا مع ما هو مسجل بالفعل؛ لم يُكتب شيء.
problem-general-bad-request = تعذرت قراءة الطلب؛ لم يُكتب شيء.
import-msg-other = هذه الخلية غير صحيحة
coverage-by-group = التغطية حسب { $group }، بدولارات الولايات المتحدة
field-group-by = تجميع الجدول الأخير حسب
income-unclassified = غير مصنف
