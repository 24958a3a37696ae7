//! A shop (a `vendors` row) and the user behind it: made when a signed-in
//! user applies to sell (PENDING, into the verification queue) or when staff
//! open one for an existing user (VERIFIED). Either way the user gets the
//! VENDOR role and, with it, the vendor portal.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::schema::{roles, user_role_assignments, users, vendors};

/// The shop form (apply to sell, or staff opening one).
#[derive(serde::Deserialize, Default, Clone, Debug)]
pub struct ShopForm {
    /// Staff: the e-mail of the user who will run it.
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub name_fa: String,
    #[serde(default)]
    pub name_ar: String,
    /// Staff: the shop's short id (an applicant's is made from the name).
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub city: String,
    /// Staff: the commission in percent (default 10).
    #[serde(default)]
    pub commission_rate: String,
}

/// Message ids beside the fields.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ShopErrors {
    pub email: Option<&'static str>,
    pub name: Option<&'static str>,
    pub slug: Option<&'static str>,
    pub city: Option<&'static str>,
    pub commission_rate: Option<&'static str>,
}

impl ShopErrors {
    pub fn any(&self) -> bool {
        self.email.is_some()
            || self.name.is_some()
            || self.slug.is_some()
            || self.city.is_some()
            || self.commission_rate.is_some()
    }
}

/// Checks the form; for staff (`slug_required`), the slug and commission too.
pub fn validate(form: &ShopForm, slug_required: bool) -> (ShopErrors, Decimal) {
    let mut e = ShopErrors::default();
    let names = [&form.name, &form.name_fa, &form.name_ar];
    if names.iter().all(|n| crate::text::clean_name(n).is_empty()) {
        e.name = Some("shop-name-required");
    } else if names.iter().any(|n| n.chars().count() > 120) {
        e.name = Some("shop-name-too-long");
    }
    if form.city.chars().count() > 80 {
        e.city = Some("shop-city-too-long");
    }
    if slug_required && !crate::tenant::slug_ok(form.slug.trim()) {
        e.slug = Some("tenant-slug-invalid");
    }
    let rate = match form.commission_rate.trim() {
        "" => Decimal::TEN,
        s => match crate::text::parse_number(s) {
            Some(r) if (Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&r) && r.scale() <= 2 => r,
            _ => {
                e.commission_rate = Some("shop-commission-invalid");
                Decimal::TEN
            }
        },
    };
    (e, rate)
}

/// The shop a user runs in this tenant, if any.
pub async fn of_user(conn: &mut AsyncPgConnection, tenant: Uuid, user: Uuid) -> QueryResult<Option<Uuid>> {
    vendors::table
        .filter(vendors::tenant_id.eq(tenant))
        .filter(vendors::user_id.eq(user))
        .select(vendors::id)
        .first(conn)
        .await
        .optional()
}

/// The active user with this e-mail in this tenant.
pub async fn user_by_email(conn: &mut AsyncPgConnection, tenant: Uuid, email: &str) -> QueryResult<Option<Uuid>> {
    users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::email.eq(crate::accounts::identity::normalize_email(email)))
        .filter(users::is_active)
        .select(users::id)
        .first(conn)
        .await
        .optional()
}

/// Opens a shop for `user` with `status` (PENDING or VERIFIED) and gives them
/// the VENDOR role. The slug, when empty, is made from the Latin name, else
/// from the shop's id. None when the slug is taken.
pub async fn open(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    user: Uuid,
    form: &ShopForm,
    status: &str,
    commission: Decimal,
) -> QueryResult<Option<Uuid>> {
    let id = Uuid::now_v7();
    let slug = match form.slug.trim() {
        "" => {
            let from_name: String = form
                .name
                .to_ascii_lowercase()
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            let short = &id.simple().to_string()[24..];
            if crate::tenant::slug_ok(&from_name) && from_name.len() <= 30 {
                format!("{from_name}-{short}")
            } else {
                format!("shop-{short}")
            }
        }
        s => s.to_ascii_lowercase(),
    };
    let taken: i64 = vendors::table
        .filter(vendors::tenant_id.eq(tenant))
        .filter(vendors::slug.eq(&slug))
        .count()
        .get_result(conn)
        .await?;
    if taken > 0 {
        return Ok(None);
    }
    let opt = |s: &str| Some(crate::text::clean_name(s)).filter(|s| !s.is_empty());
    let verified = (status == "VERIFIED").then(time::OffsetDateTime::now_utc);
    diesel::insert_into(vendors::table)
        .values((
            vendors::id.eq(id),
            vendors::tenant_id.eq(tenant),
            vendors::user_id.eq(user),
            vendors::slug.eq(&slug),
            vendors::name.eq(opt(&form.name)),
            vendors::name_fa.eq(opt(&form.name_fa)),
            vendors::name_ar.eq(opt(&form.name_ar)),
            vendors::status.eq(status),
            vendors::commission_rate.eq(commission),
            vendors::city.eq(opt(&form.city)),
            vendors::verified_at.eq(verified),
        ))
        .execute(conn)
        .await?;
    let role: Uuid = roles::table.filter(roles::code.eq("VENDOR")).select(roles::id).first(conn).await?;
    diesel::insert_into(user_role_assignments::table)
        .values((
            user_role_assignments::id.eq(Uuid::now_v7()),
            user_role_assignments::tenant_id.eq(tenant),
            user_role_assignments::user_id.eq(user),
            user_role_assignments::role_id.eq(role),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(Some(id))
}
