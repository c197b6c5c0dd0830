/// The channel through which a status change reached the portal.
public enum DossierEventSource: String, Sendable, Hashable, Codable, CaseIterable {
    /// The portal's own pages or API, used by applicants, officers and the portal itself.
    case portal
    /// A batch pushed or pulled through the agency integration API (DongBoHoSoMC / CapNhatTienDoHoSoMC).
    case agencySync = "agency_sync"
    /// A bulk import of historical records.
    case dataImport = "data_import"
}
