//! Issuing an invoice when an order is paid: the next serial of the tenant,
//! the taxid, buyer and line snapshots, the Moodian JSON and the QR code, and
//! the job that sends it to the tax authority.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use super::moodian;
use super::taxid::tax_id;
use crate::jobs::queue::{self as jobs, Job};
use crate::orders::models as orders;
use crate::schema::{invoice_counters, invoices, orders as orders_t, payments, settings, tenants, users};

/// Goods id used when a tenant has not set `moodian.default_sstid`: the general
/// id the SDK examples use; a real tenant sets its own per its catalogue.
const DEFAULT_SSTID: &str = "2720000114542";
/// Memory id used when a tenant has none yet (a sandbox value).
const DEFAULT_MEMORY_ID: &str = "A11216";

pub async fn setting(conn: &mut AsyncPgConnection, tenant: Uuid, key: &str) -> QueryResult<Option<String>> {
    let v: Option<serde_json::Value> = settings::table
        .filter(settings::tenant_id.eq(tenant))
        .filter(settings::key.eq(key))
        .select(settings::value)
        .first(conn)
        .await
        .optional()?;
    Ok(v.and_then(|v| v.as_str().map(str::to_owned)))
}

pub async fn number_for_order(conn: &mut AsyncPgConnection, tenant: Uuid, order: Uuid) -> QueryResult<Option<String>> {
    invoices::table
        .filter(invoices::tenant_id.eq(tenant))
        .filter(invoices::order_id.eq(order))
        .select(invoices::invoice_number)
        .first(conn)
        .await
        .optional()
}

/// Issues the invoice of a paid order (once; a second call does nothing) and
/// queues its submission. Runs in the payment's transaction.
pub async fn issue(conn: &mut AsyncPgConnection, tenant: Uuid, order_id: Uuid) -> QueryResult<Option<Uuid>> {
    if number_for_order(conn, tenant, order_id).await?.is_some() {
        return Ok(None);
    }
    let order = orders::by_id_for_update(conn, tenant, order_id).await?.ok_or(diesel::result::Error::NotFound)?;
    let items = orders::items(conn, tenant, order_id).await?;
    let (full_name, email, phone, national_id): (String, String, Option<String>, Option<String>) = users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::id.eq(order.user_id))
        .select((users::full_name, users::email, users::phone, users::national_id))
        .first(conn)
        .await?;
    let (seller_name, economic_code, seller_tax_id): (String, Option<String>, Option<String>) = tenants::table
        .filter(tenants::id.eq(tenant))
        .select((tenants::name, tenants::economic_code, tenants::tax_id))
        .first(conn)
        .await?;
    let memory_id = setting(conn, tenant, "moodian.memory_id").await?.unwrap_or_else(|| DEFAULT_MEMORY_ID.into());
    let sstid = setting(conn, tenant, "moodian.default_sstid").await?.unwrap_or_else(|| DEFAULT_SSTID.into());
    let paid: Option<(String, Option<String>, Option<OffsetDateTime>)> = payments::table
        .filter(payments::tenant_id.eq(tenant))
        .filter(payments::order_id.eq(order_id))
        .filter(payments::status.eq("COMPLETED"))
        .select((payments::gateway, payments::gateway_track, payments::verified_at))
        .first(conn)
        .await
        .optional()?;

    let serial: i64 = diesel::insert_into(invoice_counters::table)
        .values((invoice_counters::tenant_id.eq(tenant), invoice_counters::last_serial.eq(1i64)))
        .on_conflict(invoice_counters::tenant_id)
        .do_update()
        .set(invoice_counters::last_serial.eq(invoice_counters::last_serial + 1))
        .returning(invoice_counters::last_serial)
        .get_result(conn)
        .await?;
    // The taxid's day and `indatim` come from this one instant.
    let now = OffsetDateTime::now_utc();
    let taxid = tax_id(&memory_id, now, serial)
        .map_err(|e| diesel::result::Error::QueryBuilderError(format!("taxid: {e}").into()))?;
    let address = order.address();
    let mut lines: Vec<moodian::Line> = items
        .iter()
        .map(|i| moodian::Line {
            sstid: &sstid,
            description: i.name_fa.as_deref().or(i.name.as_deref()).unwrap_or(&i.sku),
            quantity: i64::from(i.quantity),
            fee: i.unit_price,
            discount: i.discount_amount,
            vat_rate: i.tax_rate,
            vat: i.tax_amount,
        })
        .collect();
    let shipping_label = format!("ارسال ({})", order.shipping_method);
    if !order.shipping_amount.is_zero() {
        lines.push(moodian::Line {
            sstid: &sstid,
            description: &shipping_label,
            quantity: 1,
            fee: order.shipping_amount,
            discount: Decimal::ZERO,
            vat_rate: Decimal::ZERO,
            vat: Decimal::ZERO,
        });
    }
    let header = moodian::Header {
        taxid: &taxid,
        issued_at: now,
        inno: &taxid[11..21],
        seller_economic_code: economic_code.as_deref().or(seller_tax_id.as_deref()).unwrap_or_default(),
        buyer_national_id: national_id.as_deref(),
        buyer_postal_code: Some(&address.postal_code),
    };
    let payment = paid.as_ref().map(|(gateway, track, at)| moodian::Payment {
        method: if gateway == "WALLET" { 8 } else { 5 },
        amount: order.total,
        at: at.unwrap_or(now),
        trace: track.as_deref(),
    });
    let payload = moodian::build(&header, &lines, payment.as_slice());
    let buyer = json!({
        "full_name": full_name, "email": email, "phone": phone, "national_id": national_id, "address": address,
    });
    let snapshot: Vec<serde_json::Value> = items
        .iter()
        .map(|i| {
            json!({
                "sku": i.sku, "name": i.name, "name_fa": i.name_fa, "name_ar": i.name_ar,
                "quantity": i.quantity, "unit_price": i.unit_price, "discount": i.discount_amount,
                "tax_rate": i.tax_rate, "tax": i.tax_amount, "total": i.total,
            })
        })
        .collect();
    let id = Uuid::now_v7();
    diesel::insert_into(invoices::table)
        .values((
            invoices::id.eq(id),
            invoices::tenant_id.eq(tenant),
            invoices::order_id.eq(order_id),
            invoices::invoice_number.eq(format!("INV-{serial:06}")),
            invoices::serial_number.eq(serial),
            invoices::suid.eq(Uuid::new_v4()),
            invoices::tax_id.eq(&taxid),
            invoices::subtotal.eq(order.subtotal),
            invoices::discount.eq(order.discount_amount),
            invoices::tax_amount.eq(order.tax_amount),
            invoices::total.eq(order.total),
            invoices::buyer_info.eq(buyer),
            invoices::items.eq(serde_json::Value::Array(snapshot)),
            invoices::moodian_payload.eq(payload),
            invoices::qr_code.eq(crate::web::qr::svg(&taxid)),
            invoices::issued_at.eq(now),
        ))
        .execute(conn)
        .await?;
    let _ = seller_name;
    jobs::enqueue(conn, tenant, &Job::SubmitInvoice { invoice_id: id }, None).await?;
    Ok(Some(id))
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = invoices, check_for_backend(diesel::pg::Pg))]
pub struct Invoice {
    pub id: Uuid,
    pub order_id: Uuid,
    pub invoice_number: String,
    pub serial_number: i64,
    pub suid: Uuid,
    pub tax_id: String,
    pub status: String,
    pub subtotal: Decimal,
    pub discount: Decimal,
    pub tax_amount: Decimal,
    pub total: Decimal,
    pub buyer_info: serde_json::Value,
    pub items: serde_json::Value,
    pub moodian_payload: serde_json::Value,
    pub moodian_response: Option<serde_json::Value>,
    pub qr_code: String,
    pub issued_at: OffsetDateTime,
}

/// The invoice of the user's order with this number.
pub async fn for_user_order(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
    number: &str,
) -> QueryResult<Option<Invoice>> {
    invoices::table
        .inner_join(orders_t::table)
        .filter(invoices::tenant_id.eq(tenant))
        .filter(orders_t::user_id.eq(user))
        .filter(orders_t::order_number.eq(number))
        .select(Invoice::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn by_id(conn: &mut AsyncPgConnection, tenant: Uuid, id: Uuid) -> QueryResult<Option<Invoice>> {
    invoices::table
        .filter(invoices::tenant_id.eq(tenant))
        .filter(invoices::id.eq(id))
        .select(Invoice::as_select())
        .first(conn)
        .await
        .optional()
}
