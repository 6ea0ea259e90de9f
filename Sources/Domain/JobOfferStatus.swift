/// Where a job offer stands: positionings are made on open offers.
public enum JobOfferStatus: String, DomainCode { case open, filled, closed }
