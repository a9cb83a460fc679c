namespace VideoLink.Hub.Storage.Entities;

/// <summary>Where a consultation is in its life.</summary>
public enum ConsultationStatus
{
    /// <summary>Waiting in its category's queue.</summary>
    Queued,
    /// <summary>Offered to one expert, ringing.</summary>
    Ringing,
    /// <summary>Answered: the two-leg room is open.</summary>
    InCall,
    /// <summary>Finished; <see cref="Consultation.Outcome"/> says how.</summary>
    Closed,
}

/// <summary>How a consultation ended (the figures a district reports upward).</summary>
public enum ConsultationOutcome
{
    Answered,
    Abandoned,
    NoExpert,
    /// <summary>回访: nobody could take it; staff call the villager back and close the request.</summary>
    Callback,
    Failed,
}

public enum ConsultationSource
{
    Kiosk,
    DeskButton,
    Staff,
}

/// <summary>
/// One 服务面对面 consultation: a villager at a site asks for an expert of a category. <see cref="OrgPath"/> is the
/// requesting site's path; <see cref="StationOrgPath"/> the answering station's, so both sides' org trees see the record.
/// </summary>
public sealed class Consultation : IOrgScoped
{
    public Guid Id { get; set; }

    /// <summary>Arrival order across the hub; each category's queue is served in this order (FIFO).</summary>
    public long Sequence { get; set; }

    public Guid SiteId { get; set; }
    public required string CategoryCode { get; set; }
    public ConsultationSource Source { get; set; }
    public ConsultationStatus Status { get; set; }
    public ConsultationOutcome? Outcome { get; set; }

    /// <summary>Keyed hash of the ID or IC card the villager swiped (never the number itself).</summary>
    public string? PersonHash { get; set; }
    public string? PersonMasked { get; set; }

    public DateTime RequestedUtc { get; set; }
    public DateTime? OfferedUtc { get; set; }
    public DateTime? AnsweredUtc { get; set; }
    public DateTime? EndedUtc { get; set; }

    public Guid? ExpertId { get; set; }
    public Guid? StationSiteId { get; set; }
    public string? StationOrgPath { get; set; }

    /// <summary>A transfer to a named expert: only that expert is offered the call (once).</summary>
    public Guid? TargetExpertId { get; set; }

    public Guid? RoomId { get; set; }

    /// <summary>Experts invited as third parties (specialists), comma-separated ids.</summary>
    public string? InvitedExpertIds { get; set; }

    public string? Notes { get; set; }

    /// <summary>满意 / 一般 / 不满意.</summary>
    public string? Rating { get; set; }
    public DateTime? RatedUtc { get; set; }

    public bool Recording { get; set; }

    /// <summary>Where the recording will be found once recording exists (a path under the data folder).</summary>
    public string? RecordingRef { get; set; }

    /// <summary>For a call-back request (回访): when staff closed it, and their note.</summary>
    public DateTime? CallbackClosedUtc { get; set; }
    public string? CallbackNote { get; set; }

    public required string OrgPath { get; set; }
}

public enum OfferResponse
{
    Accepted,
    Declined,
    NoAnswer,
    Withdrawn,
}

/// <summary>One ring of one expert: the durable proof that no expert was ever offered two calls at once.</summary>
public sealed class ConsultationOffer
{
    public Guid Id { get; set; }
    public Guid ConsultationId { get; set; }
    public Guid ExpertId { get; set; }
    public DateTime OfferedUtc { get; set; }
    public DateTime? RespondedUtc { get; set; }
    public OfferResponse? Response { get; set; }
}

/// <summary>A site's kiosk credential (<c>vk1.{id}.{secret}</c>); only a hash of the secret is kept.</summary>
public sealed class KioskCredential : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid SiteId { get; set; }
    public required string SecretHash { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime? RevokedUtc { get; set; }
    public required string OrgPath { get; set; }
}
