import PortalStore
import Testing

@Suite struct DatabaseURLTests {
    @Test func sqliteURLsGiveTheFilePath() throws {
        #expect(
            try DatabaseURL(parsing: "sqlite:///var/lib/opendvc/portal.sqlite")
                == .sqlite(path: "/var/lib/opendvc/portal.sqlite"))
        #expect(try DatabaseURL(parsing: "sqlite://data/portal.sqlite") == .sqlite(path: "data/portal.sqlite"))
    }

    @Test func postgresURLsAreKeptAndTheirPasswordIsRedactedWhenShown() throws {
        let url = try DatabaseURL(parsing: "postgres://portal:s3cret@db.example:5432/opendvc")
        #expect(url == .postgres(url: "postgres://portal:s3cret@db.example:5432/opendvc"))
        #expect(url.description == "postgres://portal:***@db.example:5432/opendvc")
        #expect(!url.description.contains("s3cret"))
    }

    @Test(arguments: ["mysql://x", "", "sqlite://", "sqlite:///tmp/", "postgres:///nohost", "http://example"])
    func unusableURLsAreRefused(text: String) {
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: text) }
    }
}
