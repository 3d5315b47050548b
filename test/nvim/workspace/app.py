# The app the Procfile names (a stand-in: the test never runs it).
app = None
