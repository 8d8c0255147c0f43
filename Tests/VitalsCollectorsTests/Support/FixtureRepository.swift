import Foundation

/// A throwaway repository folder in the temporary directory, filled with copies of the committed fixtures.
struct FixtureRepository {
    /// The folder holding the committed fixture files (`Fixtures/` beside `Support/`).
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The repository root; its last path component is the `repo` label collectors give samples.
    let root: URL

    init(name: String = "shop") throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("vitals-fixture-\(UUID().uuidString)")
        root = parent.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// The bytes of a committed fixture, by its path under `Fixtures/`.
    static func data(_ fixture: String) throws -> Data {
        try Data(contentsOf: fixtures.appendingPathComponent(fixture))
    }

    /// Copies a committed fixture to `relativePath` inside the repository, creating folders on the way.
    func place(_ fixture: String, at relativePath: String) throws {
        try write(try Self.data(fixture), at: relativePath)
    }

    /// Copies a committed llvm-cov export to `relativePath`, its absolute paths moved from the folder it was made in
    /// (`madeIn`) to this repository, as if the package had been built here.
    func placeExport(_ fixture: String, madeIn folder: String, at relativePath: String) throws {
        let text = String(decoding: try Self.data(fixture), as: UTF8.self).replacingOccurrences(of: folder + "/", with: root.path + "/")
        try write(Data(text.utf8), at: relativePath)
    }

    func write(_ data: Data, at relativePath: String) throws {
        let target = root.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: target)
    }

    /// Makes `relativePath` a symbolic link to `destination` (a path relative to the link's folder).
    func link(_ relativePath: String, to destination: String) throws {
        let link = root.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: destination)
    }

    /// Deletes the repository and the temporary folder around it.
    func remove() {
        try? FileManager.default.removeItem(at: root.deletingLastPathComponent())
    }
}
