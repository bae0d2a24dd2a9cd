"""The conformance suite: the reference vs torch, on every available device."""
