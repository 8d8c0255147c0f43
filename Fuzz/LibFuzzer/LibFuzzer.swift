import Foundation

/// libFuzzer's driver, in the runtime `-sanitize=fuzzer` links.
@_extern(c, "LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ test: @convention(c) (UnsafeRawPointer?, Int) -> CInt
) -> CInt

/// Starts libFuzzer from a target's `@main`.
///
/// SwiftPM links every executable's `main` to its module's own entry point, so the fuzz targets cannot rely on the `main`
/// libFuzzer ships; they hand their `LLVMFuzzerTestOneInput` to libFuzzer's driver instead, with the command line.
public enum LibFuzzer {
    public static func run(_ test: @convention(c) (UnsafeRawPointer?, Int) -> CInt) -> Never {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runDriver(&argc, &argv, test))
    }
}
