namespace VideoLink.Hardware;

/// <summary>Marks the assembly; real types live in the feature folders.</summary>
internal static class AssemblyMarker
{
}
