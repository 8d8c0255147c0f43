import Foundation

/// Decodes JSON input files, turning decoding failures into ``InputFileError``s that say where and what.
enum JSONInput {
    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data, file: String) throws(InputFileError) -> Value {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw describe(error, data: data, file: file)
        } catch {
            throw InputFileError(file: file, "cannot be decoded: \(error)")
        }
    }

    static func describe(_ error: DecodingError, data: Data, file: String) -> InputFileError {
        switch error {
        case .typeMismatch(let type, let context):
            return InputFileError(file: file, at: .path(path(context.codingPath)), "expected \(name(of: type)), found another type")
        case .valueNotFound(let type, let context):
            return InputFileError(file: file, at: .path(path(context.codingPath)), "expected \(name(of: type)), found null")
        case .keyNotFound(let key, let context):
            return InputFileError(file: file, at: .path(path(context.codingPath)), "the required key '\(key.stringValue)' is missing")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return syntaxError(in: data, file: file)
        case .dataCorrupted(let context):
            return InputFileError(file: file, at: .path(path(context.codingPath)), context.debugDescription)
        @unknown default:
            return InputFileError(file: file, "\(error)")
        }
    }

    /// JSONDecoder only says the text is not JSON; JSONSerialization says where, which is what the user needs.
    private static func syntaxError(in data: Data, file: String) -> InputFileError {
        guard !data.isEmpty else { return InputFileError(file: file, "the file is empty; expected a JSON document") }
        var reason = "not valid JSON"
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            if let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String {
                reason = "not valid JSON: \(detail)"
                if let offset = characterOffset(in: detail) { return InputFileError(file: file, at: .byte(offset), reason) }
                if detail.localizedCaseInsensitiveContains("end of file") { reason += " (is the file truncated?)" }
            }
        }
        return InputFileError(file: file, reason)
    }

    /// The offset in "... around character 16." messages.
    private static func characterOffset(in detail: String) -> Int? {
        guard let range = detail.range(of: "character ") else { return nil }
        return Int(detail[range.upperBound...].prefix { $0.isNumber })
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
