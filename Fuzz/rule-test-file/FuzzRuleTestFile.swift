import LibFuzzer
import VitalsRules

/// libFuzzer's entry point: the bytes as a promtool-format rule test file, loaded as `rules test` loads it
/// (series notation included); the rule files it names are not read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRuleTestFile(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    do {
        _ = try RuleTestFileLoader.parse(text, file: "fuzz.test.yml")
    } catch {
        _ = error.description
    }
    return 0
}

@main enum FuzzRuleTestFile {
    static func main() { LibFuzzer.run(fuzzRuleTestFile) }
}
