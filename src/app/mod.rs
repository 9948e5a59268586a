//! The desktop window (eframe/egui, glow renderer).

use std::process::ExitCode;

/// Opens the main window and runs until it is closed.
pub fn run_app() -> ExitCode {
    crate::fetch::install_tls_provider();
    let options = eframe::NativeOptions {
        viewport: eframe::egui::ViewportBuilder::default()
            .with_title("supajwt")
            .with_app_id("supajwt")
            .with_inner_size([1100.0, 720.0])
            .with_icon(app_icon()),
        ..Default::default()
    };
    match eframe::run_native(
        "supajwt",
        options,
        Box::new(|_cc| Ok(Box::new(PlaceholderApp))),
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "error: cannot open the window: {e}\nThe command-line tools work without a display: supajwt --help"
            );
            ExitCode::from(2)
        }
    }
}

/// The window icon, from `assets/icon.png`.
fn app_icon() -> eframe::egui::IconData {
    eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")).unwrap_or_default()
}

struct PlaceholderApp;

impl eframe::App for PlaceholderApp {
    fn ui(&mut self, ui: &mut eframe::egui::Ui, _frame: &mut eframe::Frame) {
        eframe::egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("supajwt");
            ui.label(
                "The desktop panes are coming. Use the command line meanwhile: supajwt --help",
            );
        });
    }
}
