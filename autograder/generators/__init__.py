"""Building what students receive: the reference solutions and expected values generated from the
instructor notebooks, the figures and data sets, the release itself, and the demo's sample class."""
