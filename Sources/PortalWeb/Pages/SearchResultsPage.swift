/// Search results and browsing by group.
struct SearchResultsPage: Sendable {
    struct PageLink: Sendable {
        let number: Int
        let url: String
        let current: Bool
    }
    let query: String
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
