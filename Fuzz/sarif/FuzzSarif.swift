import Foundation
import LibFuzzer
import VitalsCollectors

/// libFuzzer's entry point: the bytes as a SARIF log, counted as the SARIF source counts it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSarif(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = Data(UnsafeRawBufferPointer(start: start, count: count))
    do {
        _ = try SarifCollector.findings(in: data, file: "fuzz.sarif")
    } catch {
        _ = error.description
    }
    return 0
}

@main enum FuzzSarif {
    static func main() { LibFuzzer.run(fuzzSarif) }
}
