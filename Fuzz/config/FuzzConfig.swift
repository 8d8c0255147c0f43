import LibFuzzer
import VitalsCore

/// libFuzzer's entry point: the bytes as a `vitals.yml`, checked as every command checks it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    do {
        _ = try ConfigLoader.parse(text, file: "vitals.yml", environment: ["GITHUB_TOKEN": "fuzz-token"])
    } catch {
        _ = error.description
    }
    return 0
}

@main enum FuzzConfig {
    static func main() { LibFuzzer.run(fuzzConfig) }
}
