import LibFuzzer
import VitalsRules

/// libFuzzer's entry point: the bytes as a rule file, loaded and checked as `rules check` does (expressions, templates).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRuleFile(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    do {
        let file = try RuleFileLoader.parse(text, file: "fuzz.rules.yml")
        _ = RuleLinter().lint(file) + RuleTemplateCheck.findings(file)
    } catch {
        _ = error.description
    }
    return 0
}

@main enum FuzzRuleFile {
    static func main() { LibFuzzer.run(fuzzRuleFile) }
}
