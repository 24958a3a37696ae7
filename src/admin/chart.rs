//! Server-rendered SVG bar charts for the dashboards: no script, no chart
//! library, readable without colour (each bar has a <title> with its value),
//! and mirrored for right-to-left pages by drawing the days in reading order.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive as _;
use time::Date;

use crate::i18n::Lang;
use crate::i18n::calendar::to_jalali;
use crate::web::Ctx;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 200.0;
const AXIS: f64 = 22.0;

/// A day's label: Jalali `d/m` in Persian, Gregorian `d/m` otherwise, in the page's digits.
pub fn day_label(ctx: &Ctx, day: Date) -> String {
    let (m, d) = match ctx.lang {
        Lang::Fa => to_jalali(day.year(), day.month() as u8, day.day()).map(|(_, m, d)| (m, d)).unwrap_or((1, 1)),
        _ => (day.month() as u8, day.day()),
    };
    ctx.digits().apply(&format!("{d}/{m}"))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Bars for (day, value), oldest first; `title` names the chart for screen readers.
pub fn bars(ctx: &Ctx, series: &[(Date, Decimal)], title: &str) -> String {
    let n = series.len().max(1) as f64;
    let max = series.iter().map(|(_, v)| v.to_f64().unwrap_or(0.0)).fold(0.0, f64::max);
    let slot = WIDTH / n;
    let rtl = ctx.dir() == "rtl";
    let mut out = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        HEIGHT + AXIS,
        esc(title),
        esc(title)
    );
    out.push_str(&format!("<line class=\"axis\" x1=\"0\" y1=\"{HEIGHT}\" x2=\"{WIDTH}\" y2=\"{HEIGHT}\"/>"));
    let label_every = (series.len() / 6).max(1);
    for (i, (day, value)) in series.iter().enumerate() {
        // Right-to-left readers read time from right to left too.
        let pos = if rtl { series.len() - 1 - i } else { i } as f64;
        let v = value.to_f64().unwrap_or(0.0);
        let h = if max > 0.0 { (v / max * (HEIGHT - 10.0)).max(if v > 0.0 { 1.0 } else { 0.0 }) } else { 0.0 };
        let x = pos * slot + slot * 0.15;
        let label = day_label(ctx, *day);
        out.push_str(&format!(
            "<rect class=\"bar\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\"><title>{}: {}</title></rect>",
            HEIGHT - h,
            slot * 0.7,
            esc(&label),
            esc(&ctx.digits().int(value.trunc().to_i64().unwrap_or(0)))
        ));
        if i % label_every == 0 || i + 1 == series.len() {
            out.push_str(&format!(
                "<text class=\"tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                pos * slot + slot / 2.0,
                HEIGHT + 16.0,
                esc(&label)
            ));
        }
    }
    if max <= 0.0 {
        out.push_str(&format!(
            "<text class=\"chart-empty\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            WIDTH / 2.0,
            HEIGHT / 2.0,
            esc(&ctx.t("chart-no-data"))
        ));
    }
    out.push_str("</svg>");
    out
}
