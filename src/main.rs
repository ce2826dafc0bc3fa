// Most of a run is building and dropping small trees (parsed HCL and YAML, policies,
// findings); with mimalloc the bench corpora run in 0.6–0.7 of glibc malloc's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = iamlint::cli::Cli::from_command_line();
    std::process::exit(iamlint::cli::run(cli));
}
