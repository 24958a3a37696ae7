login-disabled = قفل موظفو المتجر هذا الحساب. يُرجى التواصل مع الدعم.
twofa-title = تسجيل الدخول بخطوتين
twofa-login-title = أدخل الرمز
twofa-login-help = افتح تطبيق المصادقة وأدخل الرمز المكوّن من ستة أرقام لهذا الموقع، أو أحد رموز الاسترداد.
twofa-code = الرمز
twofa-verify = تحقّق
twofa-code-wrong = هذا الرمز غير صحيح أو استُخدم من قبل. أدخل أحدث رمز.
twofa-required = يجب على حسابات الموظفين تفعيل تسجيل الدخول بخطوتين قبل فتح لوحة الإدارة.
twofa-step-scan = امسح رمز QR هذا بتطبيق مصادقة (Google Authenticator أو Microsoft Authenticator أو FreeOTP…).
twofa-step-code = أدخل الرمز المكوّن من ستة أرقام الذي يعرضه التطبيق.
twofa-manual = أو اكتب هذا المفتاح:
twofa-confirm = تفعيل
twofa-enabled = تسجيل الدخول بخطوتين مفعّل لهذا الحساب.
twofa-enabled-now = تم تفعيل تسجيل الدخول بخطوتين.
twofa-codes-left = رموز الاسترداد المتبقية: { $count }
twofa-recovery-title = رموز الاسترداد الخاصة بك
twofa-recovery-help = يعمل كل رمز مرة واحدة، إن فقدت هاتفك. احفظها الآن في مكان آمن: لن تُعرض مرة أخرى.
twofa-continue = متابعة

## Back-office navigation
admin-nav-label = لوحة الإدارة
admin-nav-dashboard = لوحة المعلومات
admin-nav-moderation = قائمة المراجعة
admin-nav-products = كل المنتجات
admin-nav-vendors = البائعون
admin-nav-users = المستخدمون
admin-nav-roles = الأدوار والصلاحيات
admin-nav-settings = الإعدادات
admin-nav-audit = سجل التدقيق
vendor-nav-dashboard = متجري
vendor-nav-products = منتجاتي

## Staff dashboard
admin-dashboard-title = لوحة المعلومات
admin-acting-tenant = المتجر الحالي
admin-switch = تبديل
admin-tile-orders = طلبًا خلال ٣٠ يومًا
admin-tile-revenue = الإيرادات
admin-tile-waiting-products = منتجًا بانتظار المراجعة
admin-tile-waiting-vendors = بائعًا بانتظار التحقق
admin-chart-orders = الطلبات يوميًا (٣٠ يومًا)
admin-chart-revenue = الإيرادات يوميًا (٣٠ يومًا)
admin-top-products = الأكثر مبيعًا (٣٠ يومًا)
admin-sold-units = الوحدات المباعة
admin-no-sales = لا مبيعات خلال آخر ٣٠ يومًا.

## Lists and forms
admin-filter = تصفية
admin-any-status = كل الحالات
admin-search-products = الاسم أو رمز المنتج
admin-search-users = البريد أو الاسم أو الهاتف
admin-no-products = لا توجد منتجات مطابقة.
admin-no-users = لا يوجد مستخدمون مطابقون.
admin-no-vendors = لا يوجد بائعون هنا.
admin-products-title = كل المنتجات
admin-save = حفظ
admin-saved = تم الحفظ.
admin-yes = نعم
admin-no = لا
admin-permission = الصلاحية
form-cancel = إلغاء
form-has-errors = بعض الحقول تحتاج إلى تصحيح؛ انظر الرسائل بجانبها.

## Users
admin-users-title = المستخدمون
admin-user-state = الحالة
admin-user-active = نشط
admin-user-is-locked = مقفل
admin-lock = قفل الحساب
admin-unlock = فتح الحساب
admin-confirm-lock = أتريد قفل هذا الحساب؟ يُسجَّل خروج المستخدم فورًا ولا يمكنه الدخول حتى يُفتح.
admin-confirm-unlock = أتريد فتح هذا الحساب؟
admin-user-locked = قُفل الحساب وأُنهيت جلساته.
admin-user-unlocked = فُتح الحساب.
admin-user-roles-saved = حُفظت الأدوار.
admin-save-roles = حفظ الأدوار
admin-cannot-lock-self = لا يمكنك قفل حسابك.
admin-cannot-lock-self-title = غير ممكن
admin-cannot-change-own-roles = لا يمكنك تغيير أدوارك؛ اطلب ذلك من مدير آخر.
admin-cannot-change-own-roles-title = غير ممكن
admin-not-allowed = لا يغيّر هذا الحساب إلا مدير المنصة.
admin-not-allowed-title = غير مسموح

## Permissions
permission-admin-access = فتح لوحة الإدارة
permission-products-moderate = قبول المنتجات أو رفضها
permission-vendors-verify = التحقق من البائعين وتعليقهم
permission-users-view = البحث عن المستخدمين وعرضهم
permission-users-lock = قفل المستخدمين وفتحهم
permission-users-roles = منح الأدوار
permission-orders-manage = عرض كل الطلبات ونقلها
permission-catalog-edit = تعديل الفئات والعلامات والشحن والخصومات
permission-settings-edit = تعديل إعدادات المتجر
permission-audit-view = قراءة سجل التدقيق
permission-permissions-edit = تغيير صلاحيات الأدوار
permission-tenants-switch = العمل في كل المتاجر
permission-vendor-portal = إدارة منتجاته ومخزونه

## Settings
settings-price-unit = عرض الأسعار بـ
settings-ar-digits = الأرقام في الصفحات العربية
settings-vat = نسبة ضريبة القيمة المضافة (٪)
settings-memory-id = معرّف ذاكرة مؤديان (٦ خانات)
settings-invalid-choice = اختر أحد الخيارات.
settings-vat-invalid = أدخل نسبة من ٠ إلى ١٠٠ بمنزلتين عشريتين على الأكثر.
settings-memory-invalid = معرّف الذاكرة ٦ أحرف أو أرقام كما أعطته مصلحة الضرائب.

## Audit log
audit-when = الوقت
audit-who = المستخدم
audit-what = الإجراء
audit-changes = التغييرات
audit-from = من
audit-entity = الكيان
audit-entity-id = معرّف الكيان
audit-any = الكل
audit-from-day = من يوم
audit-to-day = إلى يوم
audit-empty = لا توجد قيود مطابقة.
audit-system = النظام
audit-who-unknown = لا يوجد مستخدم بهذا البريد.
audit-bad-date = اكتب التاريخ بالشكل 2026-11-23.
audit-bad-date-title = تاريخ غير صالح
audit-action-insert = إنشاء
audit-action-update = تغيير
audit-action-delete = حذف

## Moderation
moderation-title = مراجعة المنتجات
moderation-keys = المفاتيح: a قبول، r كتابة سبب الرفض، j التالي، k السابق.
moderation-waiting = بالانتظار:
moderation-approve = قبول
moderation-reject = رفض
moderation-reason = سبب الرفض (يراه البائع)
moderation-approved = تم القبول، والمنتج معروض في المتجر.
moderation-rejected = تم الرفض، ويرى البائع سببك.
moderation-already-decided = قرّر زميل آخر بشأن هذا العنصر؛ هذا هو التالي.
moderation-already-decided-title = تقرّر مسبقًا
moderation-empty = لا شيء بانتظار المراجعة. أحسنت.
moderation-nav = القائمة
moderation-next = التالي
moderation-prev = السابق
moderation-kind-new = منتج جديد
moderation-kind-change = تغيير على منتج معروض
moderation-reason-required = اكتب سببًا ليعرف البائع ما يصلحه.
moderation-reason-too-long = اجعل السبب أقل من ٥٠٠ حرف.

## Vendors
vendor-status-pending = بالانتظار
vendor-status-verified = موثّق
vendor-status-suspended = معلّق
vendor-status-all = الكل
vendor-verify = توثيق
vendor-suspend = تعليق
vendor-reason-required = اكتب سبب التعليق.
vendor-reason-required-title = السبب مطلوب

## Vendor portal
vendor-dashboard-title = متجري
vendor-tile-pending = بانتظار المراجعة
vendor-tile-rejected = مرفوض
vendor-tile-to-ship = طلبات للشحن
vendor-sales-chart = المبيعات يوميًا (٣٠ يومًا)
vendor-low-stock = مخزون منخفض
vendor-low-stock-none = لكل منتج أكثر من ٥ وحدات للبيع.
vendor-new-product = منتج جديد
vendor-edit-product = تعديل المنتج
vendor-products-title = منتجاتي
vendor-submit-review = إرسال للمراجعة
vendor-save = حفظ
vendor-saved-submitted = تم الحفظ. ينتظر المنتج المراجعة قبل ظهوره في المتجر.
vendor-saved-queued = تم الحفظ. ينتظر التغيير المراجعة، ويعرض المتجر النسخة الحالية حتى ذلك الحين.
vendor-saved-applied = تم الحفظ.
vendor-stock-link = المخزون
vendor-view-in-store = عرض في المتجر

## Products
product-names = الأسماء والأوصاف
product-details = التفاصيل
product-choose = اختر…
product-no-brand = بلا علامة تجارية
product-available = المتاح
product-waiting-review = بانتظار المراجعة
product-rejected-because = مرفوض:
product-change-waiting = تغيير بانتظار المراجعة:
product-live-edit-hint = هذا المنتج معروض. تُراجع تغييرات الاسم والوصف والسعر قبل أن يراها المتسوقون؛ وتتغير الحقول الأخرى فورًا.
product-stale = غيّر شخص آخر هذا المنتج بعد أن فتحته. نصّك ما زال هنا؛ قارنه بالنسخة الحالية واحفظ مجددًا.
product-stale-title = تغيّر بعد أن فتحته
product-field-name = الاسم (بالإنجليزية)
product-field-name-fa = الاسم (بالفارسية)
product-field-name-ar = الاسم (بالعربية)
product-field-description = الوصف (بالإنجليزية)
product-field-description-fa = الوصف (بالفارسية)
product-field-description-ar = الوصف (بالعربية)
product-field-sku = رمز المنتج (SKU)
product-field-category = الفئة
product-field-brand = العلامة التجارية
product-field-price = السعر
product-field-price-rial = السعر ({ $unit })
product-field-compare-price = السعر قبل الخصم
product-field-tax-rate = ضريبة القيمة المضافة (٪)
product-field-stock = المخزون
product-field-min = الحد الأدنى لكل طلب
product-field-max = الحد الأقصى لكل طلب
product-field-warranty = الضمان (أشهر)
product-field-status = الحالة
product-field-images = الصور
product-status-draft = مسودة
product-status-pending-review = بانتظار المراجعة
product-status-active = معروض
product-status-out-of-stock = نفد المخزون
product-status-rejected = مرفوض
product-status-archived = مؤرشف
product-sku-invalid = استخدم من ١ إلى ٦٤ حرفًا لاتينيًا أو رقمًا أو نقطة أو شرطة أو شرطة سفلية.
product-sku-taken = لمنتج آخر الرمز نفسه.
product-slug-taken = يستخدم منتج آخر عنوان الويب لهذا الرمز.
product-category-required = اختر فئة.
product-brand-invalid = اختر علامة تجارية من القائمة.
product-name-required = الاسم بالفارسية مطلوب.
product-name-too-long = اجعل الأسماء أقل من ٢٠٠ حرف.
product-description-too-long = اجعل الأوصاف أقل من ٥٬٠٠٠ حرف.
product-price-invalid = أدخل عددًا صحيحًا من الريالات، صفرًا أو أكثر.
product-compare-invalid = يجب أن يكون السعر قبل الخصم عددًا صحيحًا لا يقل عن السعر.
product-tax-invalid = أدخل نسبة من ٠ إلى ١٠٠.
product-stock-invalid = أدخل عددًا صحيحًا من ٠ إلى ١٬٠٠٠٬٠٠٠.
product-min-invalid = أدخل عددًا صحيحًا من ١ إلى ١٠٬٠٠٠.
product-max-invalid = اتركه فارغًا أو أدخل عددًا صحيحًا لا يقل عن الحد الأدنى.
product-warranty-invalid = أدخل أشهرًا من ٠ إلى ١٢٠.

## Stock
stock-title = المخزون
stock-reserved = محجوز لطلبات غير مدفوعة
stock-change = التغيير
stock-reason = السبب
stock-note = ملاحظة
stock-apply = تطبيق
stock-history = السجل
stock-history-empty = لا تغييرات بعد.
stock-when = الوقت
stock-after = المخزون بعد التغيير
stock-who = بواسطة
stock-by-system = النظام
stock-change-invalid = أدخل عددًا صحيحًا من الوحدات للإضافة (+) أو الإزالة (-)، لا صفرًا.
stock-reason-required = اختر سببًا.
stock-note-required = اكتب ملاحظة لـ«أخرى».
stock-below-reserved = لا يمكن أن يقل المخزون عن { $count } وحدة محجوزة لطلبات غير مدفوعة.
stock-reason-initial = المخزون الافتتاحي
stock-reason-restock = إعادة تزويد
stock-reason-count = تصحيح بعد الجرد
stock-reason-damaged = تالف أو مفقود
stock-reason-returned = مرتجع من العميل
stock-reason-other = أخرى

## Images
image-none = لا صور بعد.
image-add = إضافة صورة
image-upload = رفع
image-remove = إزالة
image-confirm-remove = أتريد إزالة هذه الصورة؟
image-rules = JPEG أو PNG أو WebP، بحد أقصى ٥ ميغابايت، وبما لا يقل عن ٦٤ بكسل لكل ضلع.
image-after-create = احفظ المنتج أولًا؛ ثم يمكنك إضافة صوره.
image-added = أُضيفت الصورة، وتظهر في المتجر بعد المراجعة.
image-removed = أُزيلت الصورة.
image-missing = اختر ملف صورة لرفعه.
image-too-many = يمكن أن يكون للمنتج ٨ صور على الأكثر.
image-too-big = حجم الملف أكبر من ٥ ميغابايت.
image-not-image = هذا الملف ليس صورة JPEG أو PNG أو WebP.
image-too-small = الصورة صغيرة جدًا: ٦٤ بكسل على الأقل لكل ضلع.
image-too-large = الصورة أكبر من أن تُعالج: ١٠٬٠٠٠ بكسل على الأكثر لكل ضلع.
chart-no-data = لا مبيعات في هذه الأيام بعد.

## Vendor orders
vendor-nav-orders = طلبات للشحن
vendor-orders-title = الطلبات
vendor-orders-to-send = للشحن
vendor-orders-sent = المشحونة
vendor-orders-none = لا شيء للشحن الآن.
vendor-orders-none-sent = لم يُشحن شيء بعد.
vendor-orders-ship-to = الشحن إلى
vendor-orders-tracking = رقم التتبع
vendor-orders-mark-shipped = تسجيل الشحن
part-shipped = سُجّل الشحن، ويرى العميل رقم التتبع.
part-tracking-invalid = أدخل رقم التتبع كما هو مطبوع: من ٦ إلى ٤٠ حرفًا لاتينيًا أو رقمًا أو شرطة.
part-not-sendable = شُحن هذا الجزء من قبل، أو لم يعد الطلب قابلًا للشحن.
part-not-sendable-title = لا يمكن الشحن

## CSV import and export
import-title = استيراد المنتجات (CSV)
import-help = منتج واحد في كل سطر، بترميز UTF-8 ومع سطر العناوين هذا. السطر الذي تبيع رمز منتجه مسبقًا يحدّث ذلك المنتج؛ والرمز الجديد ينشئ منتجًا (بانتظار المراجعة). إن كان أي سطر خاطئًا فلا يُستورد شيء وتُعرض كل الأسطر الخاطئة.
import-file = ملف CSV
import-submit = استيراد
import-progress = تقدّم الرفع
import-no-file = اختر ملف CSV.
import-not-csv = تعذّرت قراءة هذا الملف بصيغة CSV.
import-bad-header = يجب أن يكون السطر الأول هو سطر العناوين أعلاه تمامًا.
import-empty = لا يحتوي الملف على أسطر منتجات.
import-too-many-rows = يتسع الملف لـ٥٠٬٠٠٠ منتج على الأكثر؛ قسّمه.
import-bad-rows = لم يُستورد شيء: { $count } أسطر تحتاج إلى تصحيح.
import-line = السطر
import-reason = الخطأ
import-unknown-category = الفئة: لا توجد فئة «{ $slug }»
import-unknown-brand = العلامة: لا توجد علامة «{ $slug }»
import-duplicate-sku = الرمز: يظهر هذا الرمز في سطر سابق أيضًا
import-done = استُورد { $count } منتجًا.
export-csv = تصدير CSV
