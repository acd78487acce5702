namespace Marcel.Fuzz;

/// <summary>A broken invariant: thrown so that AFL records the input as a crash.</summary>
internal sealed class InvariantException(string message) : Exception(message)
{
    public static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvariantException(message);
        }
    }
}
