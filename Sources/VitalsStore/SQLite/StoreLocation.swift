import Foundation

/// How a command uses the store.
public enum StoreAccess: Sendable {
    /// It writes (collect, alerts): the store is created if missing, migrated, and refused when this user cannot write it.
    case readWrite
    /// It only reads (query, report --no-collect): a store this user cannot write is opened read-only instead of refused.
    case read
}

/// Where a store file is and what this user may do there, checked before SQLite opens it so that the errors say which it is.
struct StoreLocation {
    let path: String
    let folder: String

    init(path: String) {
        self.path = path
        folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// Whether this user can write the file and create the `-wal` and `-shm` files beside it (`access(2)`, which also
    /// answers no for an immutable file or a read-only file system, whoever asks).
    var isWritable: Bool { FileManager.default.isWritableFile(atPath: path) && folderIsWritable }

    var folderIsWritable: Bool { FileManager.default.isWritableFile(atPath: folder) }

    /// Refuses a path that names a folder, or a file or folder this user cannot read.
    func checkReadable() throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw StoreError.cannotOpen(
                path, "it is a folder, not a store file; point --store (or `store:` in vitals.yml) at a file, e.g. \(path)/vitals.db")
        }
        if exists, !FileManager.default.isReadableFile(atPath: path) {
            throw StoreError.permissionDenied(path, "this user cannot read the file; run vitals as its owner or give this user read permission")
        }
        if FileManager.default.fileExists(atPath: folder), !FileManager.default.isExecutableFile(atPath: folder) {
            throw StoreError.permissionDenied(
                path, "this user cannot enter its folder \(folder); run vitals as its owner or change the folder's permissions")
        }
    }
}
