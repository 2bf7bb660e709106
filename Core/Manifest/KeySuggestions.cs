namespace Pipeline.Core.Manifest;

/// <summary>Words the messages for unknown keys, with a "did you mean" when a valid key is a near miss.</summary>
internal static class KeySuggestions
{
    /// <summary>
    /// <c>unknown key 'iteratons' (did you mean 'iterations'?); valid keys: dataset, iterations</c>.
    /// </summary>
    public static string UnknownKey(string key, IReadOnlyCollection<string> validKeys)
    {
        var closest = Closest(key, validKeys);
        var hint = closest is null ? "" : $" (did you mean '{closest}'?)";
        var valid = validKeys.Count == 0 ? "(none: this section takes no keys)" : string.Join(", ", validKeys);
        return $"unknown key '{key}'{hint}; valid keys: {valid}";
    }

    /// <summary>The valid key within a third of its length in edits of <paramref name="key"/>, if one is.</summary>
    internal static string? Closest(string key, IEnumerable<string> validKeys)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in validKeys)
        {
            var distance = EditDistance(key.ToLowerInvariant(), candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        var tolerance = Math.Max(1, key.Length / 3);
        return bestDistance <= tolerance ? best : null;
    }

    // Levenshtein distance with one rolling row.
    private static int EditDistance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            row[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                var substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
                row[j] = Math.Min(Math.Min(row[j - 1] + 1, above + 1), substitution);
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
