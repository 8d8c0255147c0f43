import LibFuzzer
import VitalsCore

/// libFuzzer's entry point: the bytes as an RFC 3339 time. A time that parses prints as text that parses back to it,
/// as reports, `query` and `--now` rely on; a time that does not is a crash the fuzzer reports.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRFC3339(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    guard let time = RFC3339.parse(text) else { return 0 }
    let printed = RFC3339.format(time)
    if RFC3339.parse(printed) != time {
        fatalError("'\(text)' parses to \(time.milliseconds) ms, printed as '\(printed)', which does not parse back")
    }
    return 0
}

@main enum FuzzRFC3339 {
    static func main() { LibFuzzer.run(fuzzRFC3339) }
}
