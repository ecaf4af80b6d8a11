"""The runners behind ``neuronet walkthrough NAME``: one module per kind of
lesson.  Each exposes ``run(walkthrough, options, report)`` and fills the
:class:`~neuronet.teach.walkthrough.Report` it is given; none of them prints."""
