import Yams

/// Finds where each character of a YAML scalar's value was written in the file.
///
/// libYAML gives only the scalar's start mark. The value differs from the source by quotes, escapes, folded line breaks
/// and block indentation, all of which only ever *remove* source characters or turn a line break into a space; so walking
/// the source from the start and skipping every source character that does not match the next value character aligns
/// the two exactly for the expressions rule files hold.
struct ScalarSourceMap {
    private let lines: [[Unicode.Scalar]]
    private let file: String

    init(source: String, file: String) {
        self.file = file
        lines = source.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
    }

    /// The positions of the scalars of `scalar.string`, and the position of its first character.
    func positions(of scalar: Node.Scalar) -> (start: SourcePosition, scalars: [SourcePosition]) {
        var line = (scalar.mark?.line ?? 1) - 1
        var column = (scalar.mark?.column ?? 1) - 1
        switch scalar.style {
        case .literal, .folded:
            // The value starts on the line after the `|` or `>` header.
            line += 1
            column = 0
        case .singleQuoted, .doubleQuoted:
            column += 1
        case .any, .plain:
            break
        }
        var positions: [SourcePosition] = []
        for character in scalar.string.unicodeScalars {
            while line < lines.count {
                if column < lines[line].count {
                    if lines[line][column] == character { break }
                    column += 1
                } else if character == "\n" || character == " " {
                    // A line break in the value, or one folded into a space.
                    break
                } else {
                    line += 1
                    column = 0
                }
            }
            positions.append(SourcePosition(file: file, line: line + 1, column: column + 1))
            if line < lines.count, column >= lines[line].count {
                line += 1
                column = 0
            } else {
                column += 1
            }
        }
        let start = positions.first ?? SourcePosition(file: file, line: line + 1, column: column + 1)
        return (start, positions)
    }
}
