import Testing
import VitalsCore

/// Where `store:` puts the store file.
@Suite struct ConfigStoreFileTests {
    @Test(arguments: [
        ("/srv/vitals/vitals.db", "/srv/vitals/vitals.db"),
        ("data/vitals.db", "/home/ana/project/data/vitals.db"),
        (".vitals/vitals.db", "/home/ana/project/.vitals/vitals.db"),
    ])
    func anAbsolutePathStaysAsItIsAndARelativeOneStartsAtTheConfigFolder(storePath: String, file: String) {
        #expect(VitalsConfig(storePath: storePath).storeFile(in: "/home/ana/project") == file)
    }
}
