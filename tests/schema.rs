//! The lists kept by hand beside the database, checked against it: the
//! `table!` declarations in `src/schema/`, the permission constants in
//! `src/rbac.rs`, and the audit viewer's entities. A migration that adds a
//! column, a permission or an audit trigger fails here until the code says so.

use std::collections::{BTreeMap, BTreeSet};

use diesel::QueryableByName;
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl as _;

use crate::support::TestDb;

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Text)]
    nullable: String,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

/// The columns `src/schema/` declares: table → column → diesel type.
fn declared() -> BTreeMap<String, BTreeMap<String, String>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/schema");
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        text += &std::fs::read_to_string(entry.unwrap().path()).unwrap();
        text.push('\n');
    }
    let mut tables = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut sql_name: Option<String> = None;
    let mut lines = text.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if line == "diesel::table! {" {
            let head = lines.find(|l| !l.starts_with("///") && !l.starts_with("#[")).unwrap_or_default();
            let name = head.split_whitespace().next().unwrap_or_default().to_owned();
            tables.insert(name.clone(), BTreeMap::new());
            current = Some(name);
        } else if let Some(rest) = line.strip_prefix("#[sql_name = \"") {
            sql_name = rest.split('"').next().map(str::to_owned);
        } else if let (Some(table), Some((col, ty))) = (&current, line.split_once(" -> ")) {
            let col = sql_name.take().unwrap_or_else(|| col.to_owned());
            tables.get_mut(table).unwrap().insert(col, ty.trim_end_matches(',').to_owned());
        } else if line == "}" && current.is_some() && lines.clone().next() == Some("}") {
            current = None;
        }
    }
    tables
}

/// The diesel type a PostgreSQL column maps to.
fn diesel_type(data_type: &str, nullable: bool) -> String {
    let base = match data_type {
        "uuid" => "Uuid",
        "text" => "Text",
        "integer" => "Int4",
        "bigint" => "Int8",
        "smallint" => "Int2",
        "boolean" => "Bool",
        "numeric" => "Numeric",
        "timestamp with time zone" => "Timestamptz",
        "date" => "Date",
        "jsonb" => "Jsonb",
        "bytea" => "Bytea",
        "ARRAY" => "Array<Text>",
        other => other,
    };
    if nullable { format!("Nullable<{base}>") } else { base.to_owned() }
}

#[tokio::test(flavor = "multi_thread")]
async fn schema_rs_declares_every_table_and_column_as_migrated() {
    let db = TestDb::new().await;
    let mut conn = db.superuser().await;
    let columns: Vec<Column> = diesel::sql_query(
        "SELECT table_name::text, column_name::text, data_type::text,
                is_nullable::text AS nullable
         FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name NOT LIKE '\\_\\_diesel%'
           AND table_name IN (SELECT tablename FROM pg_tables WHERE schemaname = 'public')",
    )
    .load(&mut conn)
    .await
    .unwrap();
    let mut migrated: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for c in columns {
        let ty = diesel_type(&c.data_type, c.nullable == "YES");
        migrated.entry(c.table_name).or_default().insert(c.column_name, ty);
    }
    let declared = declared();
    assert!(declared.len() > 20, "the parser found the tables: {:?}", declared.keys());
    let mut wrong = Vec::new();
    for (table, cols) in &declared {
        let Some(real) = migrated.get(table) else {
            wrong.push(format!("schema.rs declares table {table}, which the migrations do not create"));
            continue;
        };
        for (col, ty) in cols {
            match real.get(col) {
                None => wrong.push(format!("schema.rs declares {table}.{col}, which the database lacks")),
                Some(real_ty) if real_ty != ty => {
                    wrong.push(format!("{table}.{col} is {ty} in schema.rs but {real_ty} in the database"))
                }
                Some(_) => {}
            }
        }
    }
    for table in migrated.keys().filter(|t| !declared.contains_key(*t)) {
        wrong.push(format!("the migrations create table {table}, which schema.rs does not declare"));
    }
    assert!(wrong.is_empty(), "schema.rs and the migrations disagree:\n{}", wrong.join("\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn every_permission_constant_has_its_row_and_every_row_its_constant() {
    let db = TestDb::new().await;
    let mut conn = db.superuser().await;
    let rows: Vec<Name> = diesel::sql_query("SELECT code AS name FROM permissions").load(&mut conn).await.unwrap();
    let rows: BTreeSet<String> = rows.into_iter().map(|r| r.name).collect();
    let code: BTreeSet<String> = bazaar::rbac::ALL.iter().map(|s| s.to_string()).collect();
    assert_eq!(code.len(), bazaar::rbac::ALL.len(), "a permission is declared twice");
    let no_row: Vec<_> = code.difference(&rows).collect();
    let no_const: Vec<_> = rows.difference(&code).collect();
    assert!(
        no_row.is_empty() && no_const.is_empty(),
        "constants without a row: {no_row:?}; rows without a constant: {no_const:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_viewer_offers_exactly_the_audited_tables() {
    let db = TestDb::new().await;
    let mut conn = db.superuser().await;
    let rows: Vec<Name> = diesel::sql_query(
        "SELECT DISTINCT c.relname::text AS name
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
         WHERE NOT t.tgisinternal AND p.proname = 'audit_row'",
    )
    .load(&mut conn)
    .await
    .unwrap();
    let audited: BTreeSet<String> = rows.into_iter().map(|r| r.name).collect();
    assert!(audited.contains("users"), "the audit triggers were found: {audited:?}");
    let offered: BTreeSet<String> = bazaar::admin::audit::ENTITIES.iter().map(|s| s.to_string()).collect();
    assert_eq!(offered, audited, "the audit viewer's entities against the tables with an audit trigger");
}
