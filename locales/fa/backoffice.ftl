login-disabled = این حساب را کارکنان فروشگاه قفل کرده‌اند. لطفاً با پشتیبانی تماس بگیرید.
twofa-title = ورود دومرحله‌ای
twofa-login-title = کد را وارد کنید
twofa-login-help = برنامهٔ احراز هویت را باز کنید و کد شش‌رقمی این سایت یا یکی از کدهای بازیابی را وارد کنید.
twofa-code = کد
twofa-verify = تأیید
twofa-code-wrong = این کد درست نیست یا پیش‌تر به کار رفته است. تازه‌ترین کد را وارد کنید.
twofa-required = حساب‌های کارکنان پیش از ورود به پنل مدیریت باید ورود دومرحله‌ای را فعال کنند.
twofa-step-scan = این کد QR را با یک برنامهٔ احراز هویت (Google Authenticator، Microsoft Authenticator، FreeOTP…) اسکن کنید.
twofa-step-code = کد شش‌رقمی‌ای را که برنامه نشان می‌دهد وارد کنید.
twofa-manual = یا این کلید را تایپ کنید:
twofa-confirm = فعال‌سازی
twofa-enabled = ورود دومرحله‌ای برای این حساب فعال است.
twofa-enabled-now = ورود دومرحله‌ای اکنون فعال شد.
twofa-codes-left = کدهای بازیابی باقی‌مانده: { $count }
twofa-recovery-title = کدهای بازیابی شما
twofa-recovery-help = هر کد یک بار کار می‌کند، برای وقتی که گوشی‌تان را گم کنید. همین حالا آن‌ها را جای امنی نگه دارید: دوباره نشان داده نمی‌شوند.
twofa-continue = ادامه

## Back-office navigation
admin-nav-label = پنل مدیریت
admin-nav-dashboard = پیشخوان
admin-nav-moderation = صف بررسی
admin-nav-products = همهٔ کالاها
admin-nav-vendors = فروشندگان
admin-nav-users = کاربران
admin-nav-roles = نقش‌ها و دسترسی‌ها
admin-nav-settings = تنظیمات
admin-nav-audit = گزارش رویدادها
vendor-nav-dashboard = فروشگاه من
vendor-nav-products = کالاهای من

## Staff dashboard
admin-dashboard-title = پیشخوان
admin-acting-tenant = فروشگاه در حال کار
admin-switch = تغییر
admin-tile-orders = سفارش در ۳۰ روز
admin-tile-revenue = فروش
admin-tile-waiting-products = کالا در انتظار بررسی
admin-tile-waiting-vendors = فروشنده در انتظار تأیید
admin-chart-orders = سفارش‌ها در هر روز (۳۰ روز)
admin-chart-revenue = فروش در هر روز (۳۰ روز)
admin-top-products = پرفروش‌ترین‌ها (۳۰ روز)
admin-sold-units = تعداد فروخته‌شده
admin-no-sales = در ۳۰ روز گذشته فروشی نبوده است.

## Lists and forms
admin-filter = پالایش
admin-any-status = همهٔ وضعیت‌ها
admin-search-products = نام یا کد کالا
admin-search-users = ایمیل، نام یا تلفن
admin-no-products = کالایی پیدا نشد.
admin-no-users = کاربری پیدا نشد.
admin-no-vendors = فروشنده‌ای اینجا نیست.
admin-products-title = همهٔ کالاها
admin-save = ذخیره
admin-saved = ذخیره شد.
admin-yes = بله
admin-no = خیر
admin-permission = دسترسی
form-cancel = انصراف
form-has-errors = چند خانه نیاز به اصلاح دارد؛ پیام کنار هر خانه را ببینید.

## Users
admin-users-title = کاربران
admin-user-state = وضعیت
admin-user-active = فعال
admin-user-is-locked = قفل
admin-lock = قفل کردن حساب
admin-unlock = باز کردن حساب
admin-confirm-lock = این حساب قفل شود؟ کاربر بی‌درنگ خارج می‌شود و تا باز شدن قفل نمی‌تواند وارد شود.
admin-confirm-unlock = قفل این حساب باز شود؟
admin-user-locked = حساب قفل شد و نشست‌های آن پایان یافت.
admin-user-unlocked = قفل حساب باز شد.
admin-user-roles-saved = نقش‌ها ذخیره شد.
admin-save-roles = ذخیرهٔ نقش‌ها
admin-cannot-lock-self = نمی‌توانید حساب خودتان را قفل کنید.
admin-cannot-lock-self-title = ممکن نیست
admin-cannot-change-own-roles = نمی‌توانید نقش‌های خودتان را تغییر دهید؛ از مدیر دیگری بخواهید.
admin-cannot-change-own-roles-title = ممکن نیست
admin-not-allowed = تنها مدیر سامانه می‌تواند این حساب را تغییر دهد.
admin-not-allowed-title = مجاز نیست

## Permissions
permission-admin-access = ورود به پنل مدیریت
permission-products-moderate = تأیید یا رد کالاها
permission-vendors-verify = تأیید و تعلیق فروشندگان
permission-users-view = جست‌وجو و دیدن کاربران
permission-users-lock = قفل و باز کردن کاربران
permission-users-roles = دادن نقش‌ها
permission-orders-manage = دیدن و جابه‌جایی همهٔ سفارش‌ها
permission-catalog-edit = ویرایش دسته‌ها، برندها، ارسال و تخفیف‌ها
permission-settings-edit = ویرایش تنظیمات فروشگاه
permission-audit-view = خواندن گزارش رویدادها
permission-permissions-edit = تغییر دسترسی نقش‌ها
permission-tenants-switch = کار در همهٔ فروشگاه‌ها
permission-vendor-portal = مدیریت کالاها و موجودی خود

## Settings
settings-price-unit = نمایش قیمت‌ها به
settings-ar-digits = ارقام صفحه‌های عربی
settings-vat = نرخ مالیات بر ارزش افزوده (٪)
settings-memory-id = شناسهٔ یکتای حافظهٔ مالیاتی (۶ نویسه)
settings-invalid-choice = یکی از گزینه‌ها را انتخاب کنید.
settings-vat-invalid = نرخی از ۰ تا ۱۰۰ با حداکثر دو رقم اعشار وارد کنید.
settings-memory-invalid = شناسهٔ حافظه ۶ حرف یا رقم است، همان‌طور که سازمان امور مالیاتی داده است.

## Audit log
audit-when = زمان
audit-who = کاربر
audit-what = عمل
audit-changes = تغییرات
audit-from = از
audit-entity = موجودیت
audit-entity-id = شناسهٔ موجودیت
audit-any = همه
audit-from-day = از روز
audit-to-day = تا روز
audit-empty = رویدادی پیدا نشد.
audit-system = سامانه
audit-who-unknown = کاربری با این ایمیل نیست.
audit-bad-date = تاریخ را به شکل 2026-11-23 بنویسید.
audit-bad-date-title = تاریخ نادرست
audit-action-insert = ایجاد
audit-action-update = تغییر
audit-action-delete = حذف

## Moderation
moderation-title = بررسی کالاها
moderation-keys = کلیدها: a تأیید، r نوشتن دلیل رد، j بعدی، k قبلی.
moderation-waiting = در انتظار:
moderation-approve = تأیید
moderation-reject = رد
moderation-reason = دلیل رد (فروشنده آن را می‌بیند)
moderation-approved = تأیید شد و در فروشگاه نمایش داده می‌شود.
moderation-rejected = رد شد. فروشنده دلیل شما را می‌بیند.
moderation-already-decided = همکار دیگری پیش‌تر دربارهٔ این مورد تصمیم گرفته است؛ این مورد بعدی است.
moderation-already-decided-title = پیش‌تر بررسی شده
moderation-empty = چیزی در انتظار بررسی نیست. آفرین.
moderation-nav = صف
moderation-next = بعدی
moderation-prev = قبلی
moderation-kind-new = کالای تازه
moderation-kind-change = تغییر در کالای فعال
moderation-reason-required = دلیلی بنویسید تا فروشنده بداند چه چیزی را اصلاح کند.
moderation-reason-too-long = دلیل را کوتاه‌تر از ۵۰۰ نویسه بنویسید.

## Vendors
vendor-status-pending = در انتظار
vendor-status-verified = تأییدشده
vendor-status-suspended = معلق
vendor-status-all = همه
vendor-verify = تأیید
vendor-suspend = تعلیق
vendor-reason-required = دلیل تعلیق را بنویسید.
vendor-reason-required-title = دلیل لازم است

## Vendor portal
vendor-dashboard-title = فروشگاه من
vendor-tile-pending = در انتظار بررسی
vendor-tile-rejected = ردشده
vendor-tile-to-ship = سفارش برای ارسال
vendor-sales-chart = فروش در هر روز (۳۰ روز)
vendor-low-stock = موجودی رو به پایان
vendor-low-stock-none = همهٔ کالاها بیش از ۵ عدد موجودی دارند.
vendor-new-product = کالای تازه
vendor-edit-product = ویرایش کالا
vendor-products-title = کالاهای من
vendor-submit-review = ارسال برای بررسی
vendor-save = ذخیره
vendor-saved-submitted = ذخیره شد. کالا پیش از نمایش در فروشگاه بررسی می‌شود.
vendor-saved-queued = ذخیره شد. تغییر در انتظار بررسی است و تا آن زمان فروشگاه نسخهٔ کنونی را نشان می‌دهد.
vendor-saved-applied = ذخیره شد.
vendor-stock-link = موجودی
vendor-view-in-store = دیدن در فروشگاه

## Products
product-names = نام‌ها و توضیحات
product-details = جزئیات
product-choose = انتخاب کنید…
product-no-brand = بدون برند
product-available = قابل فروش
product-waiting-review = در انتظار بررسی
product-rejected-because = رد شد:
product-change-waiting = تغییری در انتظار بررسی است:
product-live-edit-hint = این کالا فعال است. تغییر نام، توضیحات یا قیمت پیش از دیده شدن بررسی می‌شود؛ دیگر خانه‌ها بی‌درنگ تغییر می‌کنند.
product-stale = کس دیگری این کالا را پس از باز کردن شما تغییر داده است. متن شما سر جایش است؛ آن را با نسخهٔ کنونی مقایسه کنید و دوباره ذخیره کنید.
product-stale-title = پس از باز کردن شما تغییر کرده است
product-field-name = نام (انگلیسی)
product-field-name-fa = نام (فارسی)
product-field-name-ar = نام (عربی)
product-field-description = توضیحات (انگلیسی)
product-field-description-fa = توضیحات (فارسی)
product-field-description-ar = توضیحات (عربی)
product-field-sku = کد کالا (SKU)
product-field-category = دسته
product-field-brand = برند
product-field-price = قیمت
product-field-price-rial = قیمت ({ $unit })
product-field-compare-price = قیمت پیش از تخفیف
product-field-tax-rate = مالیات بر ارزش افزوده (٪)
product-field-stock = موجودی
product-field-min = کمترین تعداد در هر سفارش
product-field-max = بیشترین تعداد در هر سفارش
product-field-warranty = گارانتی (ماه)
product-field-status = وضعیت
product-field-images = تصاویر
product-status-draft = پیش‌نویس
product-status-pending-review = در انتظار بررسی
product-status-active = فعال
product-status-out-of-stock = ناموجود
product-status-rejected = ردشده
product-status-archived = بایگانی
product-sku-invalid = از ۱ تا ۶۴ حرف لاتین، رقم، نقطه، خط تیره یا زیرخط استفاده کنید.
product-sku-taken = کالای دیگری همین کد را دارد.
product-slug-taken = کالای دیگری نشانی وب همین کد را دارد.
product-category-required = یک دسته انتخاب کنید.
product-brand-invalid = برندی از فهرست انتخاب کنید.
product-name-required = نام فارسی لازم است.
product-name-too-long = نام‌ها را کوتاه‌تر از ۲۰۰ نویسه بنویسید.
product-description-too-long = توضیحات را کوتاه‌تر از ۵٬۰۰۰ نویسه بنویسید.
product-price-invalid = عددی صحیح به ریال، صفر یا بیشتر، وارد کنید.
product-compare-invalid = قیمت پیش از تخفیف باید عددی صحیح و دست‌کم برابر قیمت باشد.
product-tax-invalid = نرخی از ۰ تا ۱۰۰ وارد کنید.
product-stock-invalid = عددی صحیح از ۰ تا ۱٬۰۰۰٬۰۰۰ وارد کنید.
product-min-invalid = عددی صحیح از ۱ تا ۱۰٬۰۰۰ وارد کنید.
product-max-invalid = خالی بگذارید یا عددی صحیح دست‌کم برابر کمترین تعداد وارد کنید.
product-warranty-invalid = ماهی از ۰ تا ۱۲۰ وارد کنید.

## Stock
stock-title = موجودی
stock-reserved = نگه‌داشته برای سفارش‌های پرداخت‌نشده
stock-change = تغییر
stock-reason = دلیل
stock-note = یادداشت
stock-apply = اعمال
stock-history = تاریخچه
stock-history-empty = هنوز تغییری نیست.
stock-when = زمان
stock-after = موجودی پس از تغییر
stock-who = توسط
stock-by-system = سامانه
stock-change-invalid = تعداد صحیحی برای افزودن (+) یا کاستن (-) وارد کنید، نه صفر.
stock-reason-required = یک دلیل انتخاب کنید.
stock-note-required = برای «دیگر» یادداشتی بنویسید.
stock-below-reserved = موجودی نمی‌تواند کمتر از { $count } عددی شود که برای سفارش‌های پرداخت‌نشده نگه داشته شده است.
stock-reason-initial = موجودی آغازین
stock-reason-restock = تأمین دوباره
stock-reason-count = اصلاح پس از شمارش
stock-reason-damaged = آسیب‌دیده یا گم‌شده
stock-reason-returned = مرجوعی مشتری
stock-reason-other = دیگر

## Images
image-none = هنوز تصویری نیست.
image-add = افزودن تصویر
image-upload = بارگذاری
image-remove = حذف
image-confirm-remove = این تصویر حذف شود؟
image-rules = JPEG، PNG یا WebP، حداکثر ۵ مگابایت، دست‌کم ۶۴ پیکسل در هر ضلع.
image-after-create = نخست کالا را ذخیره کنید؛ سپس می‌توانید تصویرهایش را بیفزایید.
image-added = تصویر افزوده شد و پس از بررسی در فروشگاه نمایش داده می‌شود.
image-removed = تصویر حذف شد.
image-missing = یک فایل تصویری برای بارگذاری انتخاب کنید.
image-too-many = هر کالا حداکثر ۸ تصویر می‌تواند داشته باشد.
image-too-big = حجم فایل بیش از ۵ مگابایت است.
image-not-image = این فایل تصویر JPEG، PNG یا WebP نیست.
image-too-small = تصویر خیلی کوچک است: دست‌کم ۶۴ پیکسل در هر ضلع.
image-too-large = تصویر برای پردازش خیلی بزرگ است: حداکثر ۱۰٬۰۰۰ پیکسل در هر ضلع.
chart-no-data = هنوز در این روزها فروشی نبوده است.

## Vendor orders
vendor-nav-orders = سفارش‌های ارسالی
vendor-orders-title = سفارش‌ها
vendor-orders-to-send = برای ارسال
vendor-orders-sent = ارسال‌شده
vendor-orders-none = اکنون چیزی برای ارسال نیست.
vendor-orders-none-sent = هنوز چیزی ارسال نشده است.
vendor-orders-ship-to = ارسال به
vendor-orders-tracking = کد رهگیری
vendor-orders-mark-shipped = ثبت ارسال
part-shipped = ارسال ثبت شد. مشتری کد رهگیری را می‌بیند.
part-tracking-invalid = کد رهگیری را همان‌طور که چاپ شده وارد کنید: ۶ تا ۴۰ حرف لاتین، رقم یا خط تیره.
part-not-sendable = این بخش پیش‌تر ارسال شده یا سفارش دیگر قابل ارسال نیست.
part-not-sendable-title = ارسال ممکن نیست

## CSV import and export
import-title = ورود کالاها (CSV)
import-help = هر کالا در یک سطر، با کدگذاری UTF-8 و همین سطر عنوان. سطری که کد کالایش را پیش‌تر می‌فروشید آن کالا را به‌روز می‌کند؛ کد تازه کالای تازه می‌سازد (در انتظار بررسی). اگر سطری نادرست باشد، هیچ چیز وارد نمی‌شود و همهٔ سطرهای نادرست فهرست می‌شوند.
import-file = فایل CSV
import-submit = ورود
import-progress = پیشرفت بارگذاری
import-no-file = یک فایل CSV انتخاب کنید.
import-not-csv = این فایل به‌صورت CSV خوانده نشد.
import-bad-header = سطر نخست باید دقیقاً همان سطر عنوان بالا باشد.
import-empty = فایل هیچ سطر کالایی ندارد.
import-too-many-rows = هر فایل حداکثر ۵۰٬۰۰۰ کالا می‌تواند داشته باشد؛ آن را بخش کنید.
import-bad-rows = چیزی وارد نشد: { $count } سطر نیاز به اصلاح دارد.
import-line = سطر
import-reason = ایراد
import-unknown-category = دسته: دسته‌ای با نام «{ $slug }» نیست
import-unknown-brand = برند: برندی با نام «{ $slug }» نیست
import-duplicate-sku = کد کالا: این کد در سطری پیش‌تر هم آمده است
import-done = { $count } کالا وارد شد.
export-csv = خروجی CSV
