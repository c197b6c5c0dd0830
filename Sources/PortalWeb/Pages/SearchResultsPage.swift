/// Search results and browsing by group.
struct SearchResultsPage: Sendable {
    struct PageLink: Sendable {
        let number: Int
        let url: String
        let current: Bool
    }
    /// A choice in a filter select.
    struct Option: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }
    let query: String
    let fields: [Option]
    let levels: [Option]
    let audiences: [Option]
    let onlineLevels: [Option]
    let filtered: Bool
    let groupName: String?
    let groupSlug: String?
    let summary: String
    let results: [ProcedureListItem]
    let hasResults: Bool
    let previousURL: String?
    let nextURL: String?
    let pages: [PageLink]
    let hasPages: Bool
}
