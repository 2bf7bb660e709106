namespace Pipeline.Core.Data;

/// <summary>What a file dataset does with a case whose files fail the checks.</summary>
public enum InvalidCasePolicy
{
    /// <summary>Stop with an error that lists every invalid case and why (the default: nothing is silently dropped).</summary>
    Fail,

    /// <summary>Leave the case out of every split and log a warning naming it and the reason.</summary>
    Skip,
}
