# Page chrome
skip-to-content = رفتن به محتوا
search-label = جست‌وجوی کالا
search-placeholder = جست‌وجوی کالا، برند…
search-button = جست‌وجو
search-suggestions = پیشنهادها
nav-account = حساب کاربری شما
nav-login = ورود
nav-register = ساخت حساب
nav-logout = خروج
nav-language = زبان
footer-note = قیمت‌ها در صورت شمول، با مالیات بر ارزش افزوده است. همه زمان‌ها به وقت تهران است.
breadcrumbs = مسیر صفحه
home = خانه
back-home = بازگشت به صفحه اصلی
list-separator = ،

# Home
home-title = فروشگاه اینترنتی
home-description = گوشی، لپ‌تاپ، پوشاک، لوازم خانگی و کتاب از فروشندگان معتبر.
home-categories = خرید بر اساس دسته‌بندی
home-no-categories = هنوز دسته‌بندی‌ای وجود ندارد.
home-featured = کالاهای ویژه
home-no-featured = اکنون کالای ویژه‌ای وجود ندارد.

# Category listing
category-description = خرید اینترنتی { $name }: مقایسه قیمت، برند و موجودی.
subcategories = زیردسته‌ها
products = کالاها
filters = فیلترها
filter-price = قیمت
filter-min = از
filter-max = تا
filter-price-hint = به { $unit }؛ با ارقام فارسی یا لاتین.
filter-brand = برند
filter-availability = موجودی
filter-in-stock = فقط کالاهای موجود
filter-apply = اعمال فیلترها
sort-label = مرتب‌سازی
sort-newest = جدیدترین
sort-price-asc = ارزان‌ترین
sort-price-desc = گران‌ترین
category-empty = کالایی با این فیلترها پیدا نشد. برخی از فیلترها را بردارید.
pagination = صفحه‌ها
page-first = صفحه نخست
page-next = صفحه بعد
page-prev = صفحه قبل
page-number = صفحه { $page }

# Product
product-brand = برند
product-vendor = فروشنده
product-sku = شناسه کالا
product-description = معرفی کالا
product-specifications = مشخصات
percent-off = { $pct }٪ تخفیف
stock-in = موجود
stock-few = تنها { $count } عدد باقی مانده
stock-out = ناموجود
warranty-months = { $months } ماه گارانتی

# Money
unit-name-toman = تومان
unit-name-rial = ریال
unit-name-sar = ریال سعودی
unit-name-aed = درهم امارات
unit-name-usd = دلار آمریکا
unit-toman = { $amount } تومان
unit-rial = { $amount } ریال
unit-sar = { $amount } ریال سعودی
unit-aed = { $amount } درهم
unit-usd = { $amount } دلار

# Search
search-title = جست‌وجو
search-title-for = نتایج برای «{ $query }»
search-description = کالاها را به فارسی، عربی یا انگلیسی جست‌وجو کنید.
search-too-short = برای جست‌وجو دست‌کم دو حرف بنویسید.
search-no-results = چیزی پیدا نشد. املای واژه را بررسی کنید یا واژه کوتاه‌تری بنویسید.

# Accounts
field-email = ایمیل
field-password = گذرواژه
field-password-confirm = تکرار گذرواژه
field-full-name = نام و نام خانوادگی
field-phone = شماره موبایل (اختیاری)
login-title = ورود به حساب
login-submit = ورود
login-no-account = حساب ندارید؟
login-invalid = ایمیل یا گذرواژه درست نیست.
login-locked = تلاش‌های ناموفق بیش از حد مجاز بود. برای امنیت شما، ورود تا ۱۵ دقیقه ممکن نیست.
register-title = ساخت حساب کاربری
register-submit = ساخت حساب
register-have-account = حساب دارید؟
register-password-hint = دست‌کم ۸ نویسه.
register-email-invalid = یک ایمیل درست بنویسید، مانند name@example.com.
register-email-taken = حسابی با این ایمیل از پیش وجود دارد. می‌خواهید وارد شوید؟
register-phone-invalid = شماره موبایل ایرانی بنویسید، مانند ۰۹۱۲ ۳۴۵ ۶۷۸۹.
register-phone-taken = این شماره موبایل پیش‌تر ثبت شده است.
register-name-too-long = نام حداکثر ۱۲۰ نویسه می‌تواند باشد.
register-password-length = گذرواژه باید ۸ تا ۱۲۸ نویسه باشد.
register-password-mismatch = دو گذرواژه یکسان نیستند.
logout-title = خروج
logout-confirm = می‌خواهید از حساب خود در این دستگاه خارج شوید؟
account-title = حساب کاربری
account-phone = شماره موبایل
account-roles = نوع حساب
account-member-since = عضویت از
account-last-login = آخرین ورود
role-super-admin = مدیر کل سامانه
role-admin = مدیر
role-vendor = فروشنده
role-dealer = نماینده فروش عمده
role-executor = مجری خدمات
role-customer = مشتری

# Errors
error-not-found-title = صفحه پیدا نشد
error-not-found = این صفحه را پیدا نکردیم. شاید جابه‌جا شده یا نشانی اشتباه نوشته شده باشد.
error-bad-request-title = درخواست نادرست
error-bad-request = بخشی از این درخواست قابل فهم نبود. به صفحه قبل برگردید و دوباره تلاش کنید.
error-bad-cursor-title = پیوند صفحه نادرست
error-bad-cursor = این پیوند صفحه آسیب دیده است. از صفحه نخست دوباره شروع کنید.
error-forbidden-title = دسترسی ممکن نیست
error-forbidden = شما به این صفحه دسترسی ندارید.
error-csrf-title = فرم منقضی شده
error-csrf = این فرم منقضی شده یا از این سایت ارسال نشده است. صفحه را دوباره بارگذاری کنید و دوباره تلاش کنید.
error-too-large-title = حجم بیش از حد
error-too-large = حجم آنچه فرستادید بیش از حد مجاز است.
error-unavailable-title = موقتاً در دسترس نیست
error-unavailable = فروشگاه اکنون شلوغ است. لطفاً چند لحظه دیگر دوباره تلاش کنید.
error-internal-title = خطایی رخ داد
error-internal = در سامانه ما خطایی رخ داد. لطفاً دوباره تلاش کنید.

# Calendar
month-1 = ژانویه
month-2 = فوریه
month-3 = مارس
month-4 = آوریل
month-5 = مه
month-6 = ژوئن
month-7 = ژوئیه
month-8 = اوت
month-9 = سپتامبر
month-10 = اکتبر
month-11 = نوامبر
month-12 = دسامبر
jalali-month-1 = فروردین
jalali-month-2 = اردیبهشت
jalali-month-3 = خرداد
jalali-month-4 = تیر
jalali-month-5 = مرداد
jalali-month-6 = شهریور
jalali-month-7 = مهر
jalali-month-8 = آبان
jalali-month-9 = آذر
jalali-month-10 = دی
jalali-month-11 = بهمن
jalali-month-12 = اسفند
