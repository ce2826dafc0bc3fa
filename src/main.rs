use clap::Parser;

fn main() {
    let cli = iamlint::cli::Cli::parse();
    std::process::exit(iamlint::cli::run(cli));
}
