import Foundation
import Testing
import VitalsCollectors

/// A processing instruction with no content (`<?name?>`) made FoundationXML's XMLParser read a null pointer and the whole
/// process die with SIGSEGV; found by the `cobertura` fuzz target (docs/fuzzing.md). Such a file is now an error.
@Suite struct CoberturaProcessingInstructionTests {
    @Test(arguments: [
        // The fuzzer's smallest crashing input, as it found it.
        ("<?xm?>\n<coverage", 1, "<?xm?>"),
        (#"<?xml version="1.0"?>"# + "\n<coverage line-rate=\"1\">\n<?condition-coverage?>\n</coverage>\n", 3, "<?condition-coverage?>"),
    ])
    func anEmptyProcessingInstructionIsAnErrorNotACrash(text: String, line: Int, instruction: String) {
        #expect(
            throws: InputFileError(
                file: "coverage.xml", at: .line(line),
                "processing instruction '\(instruction)' has no content, which the XML reader cannot read; remove it")
        ) { try CoverageCollector.totals(of: Data(text.utf8), file: "coverage.xml") }
    }

    @Test(arguments: [#"<?xml-stylesheet href="coverage.xsl"?>"#, "<?tool ?>"])
    func aProcessingInstructionWithContentStillReads(instruction: String) throws {
        let text =
            #"<?xml version="1.0"?>"# + "\n\(instruction)\n" + #"<coverage line-rate="0.5"><packages><package><classes>"#
            + #"<class filename="a.py"><lines><line number="1" hits="1"/><line number="2" hits="0"/></lines></class>"#
            + "</classes></package></packages></coverage>\n"
        let totals = try CoverageCollector.totals(of: Data(text.utf8), file: "coverage.xml")
        #expect(totals.lines == CoverageTotals.Count(covered: 1, total: 2))
    }
}
