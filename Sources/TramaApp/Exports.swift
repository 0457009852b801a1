import TramaAnalysis
import TramaInsight
import TramaRender
import TramaStore

// The values of the application's answers that other layers define. Front ends
// name them through this module and import nothing below it.

public typealias ChangeSummary = TramaStore.ChangeSummary
public typealias WriteContext = TramaStore.WriteContext
public typealias GraphInfo = TramaStore.GraphInfo
public typealias ChangeRecord = TramaStore.ChangeRecord
public typealias PersonalData = TramaStore.PersonalData
public typealias ErasurePlan = TramaStore.ErasurePlan
public typealias Finding = TramaInsight.Finding
public typealias Candidate = TramaInsight.Candidate
public typealias Coalition = TramaInsight.Coalition
public typealias AllianceRules = TramaInsight.AllianceRules
public typealias Requirement = TramaInsight.Requirement
public typealias Summary = TramaAnalysis.Summary
public typealias MapRequest = TramaRender.MapRequest
public typealias Catalogue = TramaInsight.Catalogue
