//! QR codes drawn as SVG: the invoice's tax id and the 2FA enrolment link.

/// The QR code of `text` as an SVG document (empty if it cannot be encoded).
pub fn svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => code.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}
