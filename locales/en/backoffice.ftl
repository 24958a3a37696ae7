login-disabled = This account has been locked by the site's staff. Please contact support.
twofa-title = Two-step sign-in
twofa-login-title = Enter your code
twofa-login-help = Open your authenticator app and enter the six-digit code for this site, or one of your recovery codes.
twofa-code = Code
twofa-verify = Verify
twofa-code-wrong = That code is not right, or it was already used. Try the newest code.
twofa-required = Staff accounts must turn on two-step sign-in before opening the back-office.
twofa-step-scan = Scan this QR code with an authenticator app (Google Authenticator, Microsoft Authenticator, FreeOTP…).
twofa-step-code = Enter the six-digit code the app shows.
twofa-manual = Or type this key:
twofa-confirm = Turn on
twofa-enabled = Two-step sign-in is on for this account.
twofa-enabled-now = Two-step sign-in is now on.
twofa-codes-left = Recovery codes left: { $count }
twofa-recovery-title = Your recovery codes
twofa-recovery-help = Each code works once, if you lose your phone. Save them somewhere safe now: they will not be shown again.
twofa-continue = Continue

## Back-office navigation
admin-nav-label = Back-office
admin-nav-dashboard = Dashboard
admin-nav-moderation = Moderation queue
admin-nav-products = All products
admin-nav-vendors = Vendors
admin-nav-users = Users
admin-nav-roles = Roles and permissions
admin-nav-settings = Settings
admin-nav-audit = Audit log
vendor-nav-dashboard = My shop
vendor-nav-products = My products

## Staff dashboard
admin-dashboard-title = Dashboard
admin-acting-tenant = Working in
admin-switch = Switch
admin-tile-orders = orders in 30 days
admin-tile-revenue = Revenue
admin-tile-waiting-products = products waiting for review
admin-tile-waiting-vendors = vendors waiting for verification
admin-chart-orders = Orders per day (30 days)
admin-chart-revenue = Revenue per day (30 days)
admin-top-products = Best sellers (30 days)
admin-sold-units = Units sold
admin-no-sales = No sales in the last 30 days.

## Lists and forms
admin-filter = Filter
admin-any-status = Any status
admin-search-products = Name or SKU
admin-search-users = E-mail, name or phone
admin-no-products = No products match.
admin-no-users = No users match.
admin-no-vendors = No vendors here.
admin-products-title = All products
admin-save = Save
admin-saved = Saved.
admin-yes = Yes
admin-no = No
admin-permission = Permission
form-cancel = Cancel
form-has-errors = Some fields need your attention; see the messages beside them.

## Users
admin-users-title = Users
admin-user-state = State
admin-user-active = Active
admin-user-is-locked = Locked
admin-lock = Lock account
admin-unlock = Unlock account
admin-confirm-lock = Lock this account? The user is signed out at once and cannot log in until unlocked.
admin-confirm-unlock = Unlock this account?
admin-user-locked = The account is locked and its sessions are ended.
admin-user-unlocked = The account is unlocked.
admin-user-roles-saved = Roles saved.
admin-save-roles = Save roles
admin-cannot-lock-self = You cannot lock your own account.
admin-cannot-lock-self-title = Not possible
admin-cannot-change-own-roles = You cannot change your own roles; ask another administrator.
admin-cannot-change-own-roles-title = Not possible
admin-not-allowed = Only a platform administrator may change this account.
admin-not-allowed-title = Not allowed

## Permissions
permission-admin-access = Open the back-office
permission-products-moderate = Approve or reject products
permission-vendors-verify = Verify and suspend vendors
permission-users-view = Search and view users
permission-users-lock = Lock and unlock users
permission-users-roles = Assign roles
permission-orders-manage = See and move every order
permission-catalog-edit = Edit categories, brands, shipping and discounts
permission-settings-edit = Edit the shop's settings
permission-audit-view = Read the audit log
permission-permissions-edit = Change roles' permissions
permission-tenants-switch = Work in every tenant
permission-vendor-portal = Manage own products and stock

## Settings
settings-price-unit = Show prices in
settings-ar-digits = Digits on Arabic pages
settings-vat = VAT rate (%)
settings-memory-id = Moodian memory id (6 characters)
settings-invalid-choice = Choose one of the options.
settings-vat-invalid = Enter a rate from 0 to 100, with at most two decimals.
settings-memory-invalid = The memory id is 6 letters or digits, as the tax authority gave it.

## Audit log
audit-when = When
audit-who = Who
audit-what = Action
audit-changes = Changes
audit-from = From
audit-entity = Entity
audit-entity-id = Entity id
audit-any = Any
audit-from-day = From day
audit-to-day = To day
audit-empty = No entries match.
audit-system = system
audit-who-unknown = No user has this e-mail.
audit-bad-date = Dates are written as 2026-11-23.
audit-bad-date-title = Invalid date
audit-action-insert = Created
audit-action-update = Changed
audit-action-delete = Deleted

## Moderation
moderation-title = Product moderation
moderation-keys = Keys: a approve, r write a rejection reason, j next, k previous.
moderation-waiting = Waiting:
moderation-approve = Approve
moderation-reject = Reject
moderation-reason = Reason for rejecting (the vendor sees it)
moderation-approved = Approved. It is live in the store.
moderation-rejected = Rejected. The vendor sees your reason.
moderation-already-decided = Someone else already decided this item; here is the next one.
moderation-already-decided-title = Already decided
moderation-empty = Nothing is waiting for review. Well done.
moderation-nav = Queue
moderation-next = Next
moderation-prev = Previous
moderation-kind-new = New product
moderation-kind-change = Change to a live product
moderation-reason-required = Write a reason, so the vendor knows what to fix.
moderation-reason-too-long = Keep the reason under 500 characters.

## Vendors
vendor-status-pending = Waiting
vendor-status-verified = Verified
vendor-status-suspended = Suspended
vendor-status-all = All
vendor-verify = Verify
vendor-suspend = Suspend
vendor-reason-required = Write a reason for suspending.
vendor-reason-required-title = Reason needed

## Vendor portal
vendor-dashboard-title = My shop
vendor-tile-pending = waiting for review
vendor-tile-rejected = rejected
vendor-tile-to-ship = orders to send
vendor-sales-chart = Sales per day (30 days)
vendor-low-stock = Low on stock
vendor-low-stock-none = Every product has more than 5 units to sell.
vendor-new-product = New product
vendor-edit-product = Edit product
vendor-products-title = My products
vendor-submit-review = Send for review
vendor-save = Save
vendor-saved-submitted = Saved. The product waits for review before it shows in the store.
vendor-saved-queued = Saved. The change waits for review; the store shows the current version until then.
vendor-saved-applied = Saved.
vendor-stock-link = Stock
vendor-view-in-store = View in store

## Products
product-names = Names and descriptions
product-details = Details
product-choose = Choose…
product-no-brand = No brand
product-available = Available
product-waiting-review = waiting for review
product-rejected-because = Rejected:
product-change-waiting = A change waits for review:
product-live-edit-hint = This product is live. Changes to its names, descriptions or prices are reviewed before shoppers see them; other fields change at once.
product-stale = Someone changed this product since you opened it. Your text is still here; check it against the current version and save again.
product-stale-title = Changed since you opened it
product-field-name = Name (English)
product-field-name-fa = Name (Persian)
product-field-name-ar = Name (Arabic)
product-field-description = Description (English)
product-field-description-fa = Description (Persian)
product-field-description-ar = Description (Arabic)
product-field-sku = SKU
product-field-category = Category
product-field-brand = Brand
product-field-price = Price
product-field-price-rial = Price ({ $unit })
product-field-compare-price = Price before discount
product-field-tax-rate = VAT (%)
product-field-stock = Stock
product-field-min = Minimum per order
product-field-max = Maximum per order
product-field-warranty = Warranty (months)
product-field-status = Status
product-field-images = Images
product-status-draft = Draft
product-status-pending-review = Waiting for review
product-status-active = Live
product-status-out-of-stock = Out of stock
product-status-rejected = Rejected
product-status-archived = Archived
product-sku-invalid = Use 1 to 64 Latin letters, digits, dots, dashes or underscores.
product-sku-taken = Another product already has this SKU.
product-slug-taken = Another product already uses this SKU's web address.
product-category-required = Choose a category.
product-brand-invalid = Choose a brand from the list.
product-name-required = The Persian name is required.
product-name-too-long = Keep names under 200 characters.
product-description-too-long = Keep descriptions under 5,000 characters.
product-price-invalid = Enter a whole number of Rials, 0 or more.
product-compare-invalid = The price before discount must be a whole number at least the price.
product-tax-invalid = Enter a rate from 0 to 100.
product-stock-invalid = Enter a whole number from 0 to 1,000,000.
product-min-invalid = Enter a whole number from 1 to 10,000.
product-max-invalid = Leave empty, or enter a whole number at least the minimum.
product-warranty-invalid = Enter months from 0 to 120.

## Stock
stock-title = Stock
stock-reserved = Held for unpaid orders
stock-change = Change
stock-reason = Reason
stock-note = Note
stock-apply = Apply
stock-history = History
stock-history-empty = No changes yet.
stock-when = When
stock-after = Stock after
stock-who = By
stock-by-system = system
stock-change-invalid = Enter a whole number of units to add (+) or remove (-), not zero.
stock-reason-required = Choose a reason.
stock-note-required = Write a note for "Other".
stock-below-reserved = Stock cannot go below the { $count } units held for unpaid orders.
stock-reason-initial = Opening stock
stock-reason-restock = Restock
stock-reason-count = Stock count correction
stock-reason-damaged = Damaged or lost
stock-reason-returned = Returned by customer
stock-reason-other = Other

## Images
image-none = No images yet.
image-add = Add an image
image-upload = Upload
image-remove = Remove
image-confirm-remove = Remove this image?
image-rules = JPEG, PNG or WebP, at most 5 MB, at least 64 pixels on each side.
image-after-create = Save the product first; then you can add its images.
image-added = Image added. It shows in the store once reviewed.
image-removed = Image removed.
image-missing = Choose an image file to upload.
image-too-many = A product can have at most 8 images.
image-too-big = The file is larger than 5 MB.
image-not-image = This file is not a JPEG, PNG or WebP image.
image-too-small = The image is too small: at least 64 pixels on each side.
image-too-large = The image is too large to process: at most 10,000 pixels on a side.
chart-no-data = Nothing sold in these days yet.

## Vendor orders
vendor-nav-orders = Orders to send
vendor-orders-title = Orders
vendor-orders-to-send = To send
vendor-orders-sent = Sent
vendor-orders-none = Nothing to send right now.
vendor-orders-none-sent = Nothing sent yet.
vendor-orders-ship-to = Send to
vendor-orders-tracking = Tracking number
vendor-orders-mark-shipped = Mark as shipped
part-shipped = Marked as shipped. The customer sees the tracking number.
part-tracking-invalid = Enter the tracking number as printed: 6 to 40 letters, digits or dashes.
part-not-sendable = This part was already sent, or the order can no longer be sent.
part-not-sendable-title = Cannot ship

## CSV import and export
import-title = Import products (CSV)
import-help = One product per line, UTF-8, with this header row. A line whose SKU you already sell updates that product; a new SKU creates one (it waits for review). If any line is wrong, nothing is imported and every wrong line is listed.
import-file = CSV file
import-submit = Import
import-progress = Upload progress
import-no-file = Choose a CSV file.
import-not-csv = This file could not be read as CSV.
import-bad-header = The first line must be exactly the header row shown above.
import-empty = The file has no product lines.
import-too-many-rows = A file may hold at most 50,000 products; split it.
import-bad-rows = Nothing was imported: { $count } lines need fixing.
import-line = Line
import-reason = What is wrong
import-unknown-category = category: no category "{ $slug }"
import-unknown-brand = brand: no brand "{ $slug }"
import-duplicate-sku = sku: this SKU appears on an earlier line too
import-done = Imported { $count } products.
export-csv = Export CSV
