"""The territorial diagnostic: one territory's 16 fragilities read against its peers.

Pure domain (no I/O). It sits one layer above the sibling domain packages (``index``,
``indicators``) because it composes their results: the indicator catalogue says what a value
means, the index engine ranks the peers, the diagnostic says where the territory stands.
"""
