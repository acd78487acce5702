namespace Marcel.Tests.Support;

/// <summary>
/// Tests that measure the whole process (its managed heap, its descriptors) run alone: xunit runs a collection that
/// disables parallelization after the others, with nothing beside it.
/// </summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;
