# Page chrome
skip-to-content = انتقل إلى المحتوى
search-label = ابحث عن المنتجات
search-placeholder = ابحث عن منتج أو علامة تجارية…
search-button = بحث
search-suggestions = اقتراحات
nav-account = حسابك
nav-login = تسجيل الدخول
nav-register = إنشاء حساب
nav-logout = تسجيل الخروج
nav-language = اللغة
footer-note = تشمل الأسعار ضريبة القيمة المضافة حيث تنطبق. جميع الأوقات بتوقيت طهران.
breadcrumbs = مسار التنقل
home = الرئيسية
back-home = العودة إلى الصفحة الرئيسية
list-separator = ،

# Home
home-title = تسوّق عبر الإنترنت
home-description = هواتف وحواسيب وأزياء وأجهزة منزلية وكتب من بائعين موثوقين.
home-categories = تسوّق حسب الفئة
home-no-categories = لا توجد فئات بعد.
home-featured = منتجات مميزة
home-no-featured = لا توجد منتجات مميزة حاليًا.

# Category listing
category-description = اشترِ { $name } عبر الإنترنت: قارن الأسعار والعلامات التجارية والتوفر.
subcategories = الفئات الفرعية
products = المنتجات
filters = عوامل التصفية
filter-price = السعر
filter-min = من
filter-max = إلى
filter-price-hint = بالـ{ $unit }، بأي أرقام.
filter-brand = العلامة التجارية
filter-availability = التوفر
filter-in-stock = المتوفر فقط
filter-apply = تطبيق عوامل التصفية
sort-label = الترتيب حسب
sort-newest = الأحدث
sort-price-asc = السعر: من الأقل إلى الأعلى
sort-price-desc = السعر: من الأعلى إلى الأقل
category-empty = لا توجد منتجات تطابق هذه الفلاتر. جرّب إزالة بعضها.
pagination = الصفحات
page-first = الصفحة الأولى
page-next = الصفحة التالية
page-prev = الصفحة السابقة
page-number = الصفحة { $page }

# Product
product-brand = العلامة التجارية
product-vendor = البائع
product-sku = رمز المنتج
product-description = الوصف
product-specifications = المواصفات
percent-off = خصم { $pct }٪
stock-in = متوفر
stock-few = بقي { $count } فقط
stock-out = غير متوفر
warranty-months = ضمان { $months } شهرًا

# Money
unit-name-toman = تومان
unit-name-rial = ريال
unit-name-sar = ريال سعودي
unit-name-aed = درهم إماراتي
unit-name-usd = دولار أمريكي
unit-toman = { $amount } تومان
unit-rial = { $amount } ريال
unit-sar = { $amount } ر.س.
unit-aed = { $amount } د.إ.
unit-usd = { $amount } دولار

# Search
search-title = البحث
search-title-for = نتائج البحث عن «{ $query }»
search-description = ابحث في الكتالوج بالفارسية أو العربية أو الإنجليزية.
search-too-short = اكتب حرفين على الأقل للبحث.
search-no-results = لم نعثر على شيء. تحقق من الإملاء أو جرّب كلمة أقصر.

# Accounts
field-email = البريد الإلكتروني
field-password = كلمة المرور
field-password-confirm = أعد كتابة كلمة المرور
field-full-name = الاسم الكامل
field-phone = رقم الجوال (اختياري)
login-title = تسجيل الدخول
login-submit = دخول
login-no-account = جديد هنا؟
login-invalid = البريد الإلكتروني أو كلمة المرور غير صحيحة.
login-locked = محاولات فاشلة كثيرة. حفاظًا على أمانك، أُوقف تسجيل الدخول لمدة 15 دقيقة.
register-title = إنشاء حساب
register-submit = إنشاء الحساب
register-have-account = لديك حساب؟
register-password-hint = 8 أحرف على الأقل.
register-email-invalid = أدخل بريدًا إلكترونيًا صحيحًا، مثل name@example.com.
register-email-taken = يوجد حساب بهذا البريد الإلكتروني. هل تريد تسجيل الدخول؟
register-phone-invalid = أدخل رقم جوال إيرانيًا، مثل 0912 345 6789.
register-phone-taken = رقم الجوال هذا مسجل مسبقًا.
register-name-too-long = يمكن أن يتكون الاسم من 120 حرفًا على الأكثر.
register-password-length = يجب أن تتكون كلمة المرور من 8 إلى 128 حرفًا.
register-password-mismatch = كلمتا المرور غير متطابقتين.
logout-title = تسجيل الخروج
logout-confirm = هل تريد تسجيل الخروج من هذا الجهاز؟
account-title = حسابك
account-phone = رقم الجوال
account-roles = نوع الحساب
account-member-since = عضو منذ
account-last-login = آخر تسجيل دخول
role-super-admin = مدير المنصة
role-admin = مدير
role-vendor = بائع
role-dealer = تاجر جملة
role-executor = مقاول خدمات
role-customer = عميل

# Errors
error-not-found-title = الصفحة غير موجودة
error-not-found = لم نعثر على هذه الصفحة. ربما نُقلت أو كُتب العنوان بشكل خاطئ.
error-bad-request-title = طلب غير صالح
error-bad-request = لم نفهم جزءًا من هذا الطلب. ارجع وحاول مرة أخرى.
error-bad-cursor-title = رابط صفحة غير صالح
error-bad-cursor = رابط الصفحة هذا تالف. ابدأ من الصفحة الأولى.
error-forbidden-title = غير مسموح
error-forbidden = ليس لديك صلاحية الوصول إلى هذه الصفحة.
error-csrf-title = انتهت صلاحية النموذج
error-csrf = انتهت صلاحية هذا النموذج أو لم يُرسل من هذا الموقع. أعد تحميل الصفحة وحاول مرة أخرى.
error-too-large-title = الحجم كبير جدًا
error-too-large = ما أرسلته أكبر من الحد المسموح.
error-unavailable-title = غير متاح مؤقتًا
error-unavailable = المتجر مشغول الآن. يرجى المحاولة بعد قليل.
error-internal-title = حدث خطأ
error-internal = حدث خطأ من جانبنا. يرجى المحاولة مرة أخرى.

# Calendar
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
jalali-month-1 = فروردين
jalali-month-2 = أرديبهشت
jalali-month-3 = خرداد
jalali-month-4 = تير
jalali-month-5 = مرداد
jalali-month-6 = شهريور
jalali-month-7 = مهر
jalali-month-8 = آبان
jalali-month-9 = آذر
jalali-month-10 = دي
jalali-month-11 = بهمن
jalali-month-12 = إسفند
