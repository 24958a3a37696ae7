# Page chrome
skip-to-content = Skip to content
search-label = Search products
search-placeholder = Search products, brands…
search-button = Search
search-suggestions = Suggestions
nav-account = Your account
nav-login = Log in
nav-register = Create account
nav-logout = Log out
nav-language = Language
footer-note = Prices include VAT where it applies. All times are Tehran time.
breadcrumbs = Breadcrumbs
home = Home
back-home = Back to the home page
list-separator = ,

# Home
home-title = Shop online
home-description = Phones, laptops, fashion, home appliances and books from trusted sellers.
home-categories = Shop by category
home-no-categories = No categories yet.
home-featured = Featured products
home-no-featured = No featured products right now.

# Category listing
category-description = Buy { $name } online: compare prices, brands and availability.
subcategories = Subcategories
products = Products
filters = Filters
filter-price = Price
filter-min = From
filter-max = To
filter-price-hint = In { $unit }; digits in any script.
filter-brand = Brand
filter-availability = Availability
filter-in-stock = In stock only
filter-apply = Apply filters
sort-label = Sort by
sort-newest = Newest
sort-price-asc = Price: low to high
sort-price-desc = Price: high to low
category-empty = No products match these filters. Try removing some.
pagination = Pages
page-first = First page
page-next = Next page
page-prev = Previous page
page-number = Page { $page }

# Product
product-brand = Brand
product-vendor = Sold by
product-sku = SKU
product-description = Description
product-specifications = Specifications
percent-off = { $pct }% off
stock-in = In stock
stock-few = Only { $count } left
stock-out = Out of stock
warranty-months = { $months }-month warranty

# Money
unit-name-toman = Toman
unit-name-rial = Rials
unit-name-sar = Saudi riyals
unit-name-aed = UAE dirhams
unit-name-usd = US dollars
unit-toman = { $amount } Toman
unit-rial = { $amount } Rials
unit-sar = SAR { $amount }
unit-aed = AED { $amount }
unit-usd = ${ $amount }

# Search
search-title = Search
search-title-for = Results for “{ $query }”
search-description = Search the catalogue in Persian, Arabic or English.
search-too-short = Type at least two letters to search.
search-no-results = Nothing found. Check the spelling or try a shorter word.

# Accounts
field-email = Email
field-password = Password
field-password-confirm = Repeat password
field-full-name = Full name
field-phone = Mobile number (optional)
login-title = Log in
login-submit = Log in
login-no-account = New here?
login-invalid = The email or password is not correct.
login-locked = Too many failed attempts. For your safety, logging in is blocked for 15 minutes.
register-title = Create an account
register-submit = Create account
register-have-account = Already have an account?
register-password-hint = At least 8 characters.
register-email-invalid = Enter a valid email address, like name@example.com.
register-email-taken = An account with this email already exists. Log in instead?
register-phone-invalid = Enter an Iranian mobile number, like 0912 345 6789.
register-phone-taken = This mobile number is already registered.
register-name-too-long = The name can be at most 120 characters.
register-password-length = The password must be 8 to 128 characters long.
register-password-mismatch = The two passwords do not match.
logout-title = Log out
logout-confirm = Do you want to log out of this device?
account-title = Your account
account-phone = Mobile number
account-roles = Account type
account-member-since = Member since
account-last-login = Last login
role-super-admin = Platform administrator
role-admin = Administrator
role-vendor = Vendor
role-dealer = Dealer
role-executor = Service contractor
role-customer = Customer

# Errors
error-not-found-title = Page not found
error-not-found = We could not find this page. It may have moved, or the address may be mistyped.
error-bad-request-title = Bad request
error-bad-request = Something in this request was not understood. Please go back and try again.
error-bad-cursor-title = Bad page link
error-bad-cursor = This page link is damaged. Start again from the first page.
error-forbidden-title = Not allowed
error-forbidden = You do not have access to this page.
error-csrf-title = Form expired
error-csrf = This form has expired or did not come from this site. Reload the page and try again.
error-too-large-title = Too large
error-too-large = What you sent is larger than we accept.
error-unavailable-title = Temporarily unavailable
error-unavailable = The shop is busy right now. Please try again in a moment.
error-internal-title = Something went wrong
error-internal = Something went wrong on our side. Please try again.

# Calendar
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
jalali-month-1 = Farvardin
jalali-month-2 = Ordibehesht
jalali-month-3 = Khordad
jalali-month-4 = Tir
jalali-month-5 = Mordad
jalali-month-6 = Shahrivar
jalali-month-7 = Mehr
jalali-month-8 = Aban
jalali-month-9 = Azar
jalali-month-10 = Dey
jalali-month-11 = Bahman
jalali-month-12 = Esfand
