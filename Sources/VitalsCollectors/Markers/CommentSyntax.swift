/// How comments and string literals are written in one family of languages: what ``CommentScanner`` needs to find the
/// comments of a source file and step over its strings.
///
/// The languages are told apart by file extension (or, for files such as `Makefile`, by name); a file of any other type
/// has no syntax and its markers are not counted. `docs/metrics.md` lists the table.
public struct CommentSyntax: Sendable {
    /// Something that begins at a place in code.
    struct Token: Sendable {
        enum Kind: Sendable {
            /// A comment to the end of the line.
            case lineComment
            /// A comment up to `close`; `nests` when the language allows comments inside comments (Swift, Rust, Haskell).
            case blockComment(close: [UInt8], nests: Bool)
            /// A string literal up to `close`; a backslash escapes the next byte when `escapes`; a single-line string
            /// also ends at the end of the line, so an unbalanced quote never hides the rest of the file.
            case string(close: [UInt8], escapes: Bool, multiline: Bool)
            /// Swift's `#"…"#` and Rust's `r#"…"#`: the number of `#` after the opener must follow the closing quote.
            case rawString
            /// Rust's character literal (`'x'`, `'\n'`), told apart from a lifetime (`'a`) by its closing quote.
            case characterLiteral
        }

        let open: [UInt8]
        let kind: Kind
        /// Only after a separator (whitespace, the start of the line, `;|&(){}[],:=`): `#` in shell and YAML,
        /// quotes in YAML, where `a#b` and `don't` are plain text.
        let afterSeparator: Bool

        init(_ open: String, _ kind: Kind, afterSeparator: Bool = false) {
            self.open = Array(open.utf8)
            self.kind = kind
            self.afterSeparator = afterSeparator
        }
    }

    /// The tokens, longest opener first, so `"""` is tried before `"` and `--[[` before `--`.
    let tokens: [Token]

    init(_ tokens: [Token]) {
        self.tokens = tokens.sorted { $0.open.count > $1.open.count }
    }

    /// The syntax of a file, by its name; nil for files whose type is not in the table.
    public static func of(fileNamed path: String) -> CommentSyntax? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if let syntax = byName[name] { return syntax }
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return byExtension[name[name.index(after: dot)...].lowercased()]
    }

    // MARK: - The table

    private static func string(
        _ quote: String, closedBy close: String? = nil, escapes: Bool = true, multiline: Bool = false, afterSeparator: Bool = false
    ) -> Token {
        Token(quote, .string(close: Array((close ?? quote).utf8), escapes: escapes, multiline: multiline), afterSeparator: afterSeparator)
    }

    private static func block(_ open: String, _ close: String, nests: Bool = false) -> Token {
        Token(open, .blockComment(close: Array(close.utf8), nests: nests))
    }

    private static let slashes = [Token("//", .lineComment), block("/*", "*/")]
    private static let quotes = [string("\""), string("'")]

    /// `//` and `/* */` with `"…"` and `'…'` literals: C, C++, Objective-C, Java, C#, JavaScript, TypeScript, PHP, ….
    static let cFamily = CommentSyntax(slashes + quotes + [string("`", multiline: true)] + [string("\"\"\"", multiline: true)])
    /// Swift: nested block comments, `"""` multi-line and `#"…"#` raw strings, no single-quoted literals.
    static let swift = CommentSyntax([
        Token("//", .lineComment), block("/*", "*/", nests: true), string("\""), string("\"\"\"", multiline: true), Token("#", .rawString),
    ])
    /// Rust: nested block comments, `r#"…"#` raw strings, character literals beside lifetimes.
    static let rust = CommentSyntax([
        Token("//", .lineComment), block("/*", "*/", nests: true), string("\"", multiline: true), Token("r#", .rawString),
        Token("'", .characterLiteral),
    ])
    /// Kotlin and Scala: nested block comments, `"""` raw strings.
    static let kotlin = CommentSyntax([
        Token("//", .lineComment), block("/*", "*/", nests: true), string("\""), string("'"), string("\"\"\"", escapes: false, multiline: true),
    ])
    /// Go: back-quoted raw strings span lines.
    static let go = CommentSyntax(slashes + quotes + [string("`", escapes: false, multiline: true)])
    /// CSS: block comments only.
    static let css = CommentSyntax([block("/*", "*/")] + quotes)
    /// Sass and Less: CSS with `//` line comments.
    static let scss = CommentSyntax(slashes + quotes)
    /// Python: `#` comments; docstrings are string literals (`"""…"""`), not comments.
    static let python = CommentSyntax(
        [
            Token("#", .lineComment), string("\"\"\"", multiline: true), string("'''", multiline: true),
        ] + quotes)
    /// Ruby, Perl, R, TOML, Make, CMake, Terraform, Elixir, …: `#` anywhere outside a string.
    static let hash = CommentSyntax([Token("#", .lineComment)] + quotes)
    /// Shell: `#` begins a comment only at the start of a word (`$#`, `${#x}` and `a#b` are not comments).
    static let shell = CommentSyntax([Token("#", .lineComment, afterSeparator: true), string("\""), string("'", escapes: false)])
    /// YAML: `#` after a space; quoted scalars only where a value starts.
    static let yaml = CommentSyntax([
        Token("#", .lineComment, afterSeparator: true), string("\"", afterSeparator: true), string("'", escapes: false, afterSeparator: true),
    ])
    /// SQL: `--` and `/* */`, `'…'` strings (a doubled `''` reads as two strings, which is the same).
    static let sql = CommentSyntax([Token("--", .lineComment), block("/*", "*/"), string("'", escapes: false), string("\"", escapes: false)])
    /// Lua: `--` and `--[[ ]]`, `[[ ]]` long strings.
    static let lua = CommentSyntax([
        Token("--", .lineComment), block("--[[", "]]"), string("[[", closedBy: "]]", escapes: false, multiline: true), string("\""), string("'"),
    ])
    /// Haskell and Elm: `--` and nested `{- -}`; `'` is also part of names (`x'`), so it is not a literal here.
    static let haskell = CommentSyntax([Token("--", .lineComment), block("{-", "-}", nests: true), string("\"")])
    /// HTML, XML, SVG, …: `<!-- -->` only.
    static let markup = CommentSyntax([block("<!--", "-->")])

    private static let byExtension: [String: CommentSyntax] = {
        var table: [String: CommentSyntax] = [:]
        func add(_ syntax: CommentSyntax, _ extensions: String) {
            for name in extensions.split(separator: " ") { table[String(name)] = syntax }
        }
        add(cFamily, "c h cc cpp cxx c++ hh hpp hxx m mm java cs js mjs cjs jsx ts tsx mts cts dart groovy gradle php proto zig")
        add(swift, "swift")
        add(rust, "rs")
        add(kotlin, "kt kts scala sc")
        add(go, "go")
        add(css, "css")
        add(scss, "scss sass less")
        add(python, "py pyi")
        add(hash, "rb pl pm r toml mk cmake tf ex exs nim cr jl")
        add(shell, "sh bash zsh ksh fish")
        add(yaml, "yml yaml")
        add(sql, "sql")
        add(lua, "lua")
        add(haskell, "hs lhs elm")
        add(markup, "html htm xhtml xml xsd xsl xslt svg plist")
        return table
    }()

    private static let byName: [String: CommentSyntax] = [
        "Makefile": hash, "makefile": hash, "GNUmakefile": hash, "Dockerfile": hash, "CMakeLists.txt": hash, "Gemfile": hash,
        "Rakefile": hash, "Podfile": hash,
    ]
}
