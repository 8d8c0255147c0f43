import LibFuzzer
import VitalsRules

/// libFuzzer's entry point: the bytes as a rule expression, parsed as `rules check` parses every `expr:`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpression(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    do {
        _ = try ExpressionParser.parse(text)
    } catch {
        _ = error.description
    }
    return 0
}

@main enum FuzzExpression {
    static func main() { LibFuzzer.run(fuzzExpression) }
}
