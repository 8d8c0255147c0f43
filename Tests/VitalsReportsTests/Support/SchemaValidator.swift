import Foundation

/// Validates JSON against `docs/report.schema.json` with Python's `jsonschema` (draft 2020-12), a validator we did not write.
enum SchemaValidator {
    private static let script = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(json.load(sys.stdin)), key=lambda e: list(e.path))
        for error in errors:
            print("/".join(map(str, error.path)) + ": " + error.message)
        sys.exit(1 if errors else 0)
        """

    /// The validator's complaints, one per line; empty when `json` matches the schema.
    static func errors(in json: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, Repository.root.appendingPathComponent("docs/report.schema.json").path]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(json.utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lines = text.split(separator: "\n").map(String.init)
        if process.terminationStatus != 0 && lines.isEmpty { return ["python3 exited with \(process.terminationStatus)"] }
        return lines
    }
}
