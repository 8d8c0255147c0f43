import Foundation
import LibFuzzer
import VitalsCollectors

/// libFuzzer's entry point: the bytes as a coverage file. The format is told by content, so every coverage target reaches
/// all three parsers; this one starts from the lcov seeds (see docs/fuzzing.md).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLcov(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = Data(UnsafeRawBufferPointer(start: start, count: count))
    do {
        _ = try CoverageCollector.totals(of: data, file: "fuzz.coverage")
    } catch {
        _ = error.description
    }
    return 0
}

@main enum FuzzLcov {
    static func main() { LibFuzzer.run(fuzzLcov) }
}
