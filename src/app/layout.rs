//! Layout that survives narrow windows (800×600 and up).

use egui::Ui;

/// The width under which Decode's two columns stack.
pub const TWO_COLUMNS_MIN_WIDTH: f32 = 900.0;

/// Two columns side by side when `ui` is at least `min_width` wide, else one above the other.
pub fn columns_or_stack_ui(
    ui: &mut Ui,
    min_width: f32,
    left: impl FnOnce(&mut Ui),
    right: impl FnOnce(&mut Ui),
) {
    if ui.available_width() >= min_width {
        ui.columns(2, |cols| {
            if let [l, r] = cols {
                left(l);
                right(r);
            }
        });
    } else {
        left(ui);
        ui.add_space(8.0);
        right(ui);
    }
}
