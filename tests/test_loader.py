"""The loader and its registry: what gets loaded, how failures are recorded, unloading."""
import logging
import os
import re
import sys

from django.contrib.auth.models import Group

from netbox_userscripts.loading.registry import registry
from netbox_userscripts.signals import post_save, pre_save


def test_modules_load_in_name_order_with_their_logger(userscripts):
    userscripts.write("b_second.py", "import sys\nsys._userscripts_order.append(__name__)\n")
    userscripts.write("a_first.py", """
        import sys
        sys._userscripts_order = [__name__]
        SEEN_LOGGER = logger
    """)
    try:
        userscripts.load()
        assert sys._userscripts_order == ["userscripts.a_first", "userscripts.b_second"]
    finally:
        del sys._userscripts_order
    module = registry.get("a_first").module
    assert module.SEEN_LOGGER is logging.getLogger("a_first.py")
    assert [m.name for m in registry.modules()] == ["a_first", "b_second"]
    assert all(m.state == "loaded" for m in registry.modules())


def test_broken_modules_are_recorded_and_the_others_load(userscripts):
    userscripts.write("good.py", "def call(**kwargs):\n    return 'ok'\n")
    userscripts.write("syntax.py", "def broken(:\n    pass\n")
    userscripts.write("raises.py", "raise RuntimeError('no database here')\n")
    userscripts.load()
    assert registry.get("good").loaded
    syntax, raises = registry.get("syntax"), registry.get("raises")
    assert syntax.state == "error" and syntax.error.startswith("SyntaxError")
    assert raises.state == "error" and raises.error == "RuntimeError: no database here"
    assert "Traceback" in raises.traceback and "raises.py" in raises.traceback
    log_text = userscripts.log.read_text()
    assert "ERROR raises.py: failed to load raises.py: RuntimeError: no database here" in log_text
    assert "Traceback (most recent call last)" in log_text
    assert "ERROR syntax.py: failed to load syntax.py: SyntaxError" in log_text


def test_a_script_named_like_a_stdlib_module_shadows_nothing(userscripts):
    userscripts.write("json.py", "import json as stdlib_json\nVALUE = stdlib_json.dumps([1])\n")
    userscripts.load()
    import json

    assert registry.get("json").module.VALUE == "[1]"
    assert json.dumps is not None and sys.modules["json"] is json
    assert sys.modules["userscripts.json"] is registry.get("json").module


def test_helper_package_is_importable_but_not_loaded(userscripts):
    userscripts.write("helpers/__init__.py", "")
    userscripts.write("helpers/text.py", "def shout(s):\n    return s.upper() + '!'\n")
    userscripts.write("absolute.py",
                      "from userscripts.helpers.text import shout\ndef call(**kw):\n    return shout('a')\n")
    userscripts.write("relative.py", "from .helpers.text import shout\ndef call(**kw):\n    return shout('r')\n")
    userscripts.write("_private.py", "raise RuntimeError('must not be loaded')\n")
    userscripts.write("not-an-identifier.py", "raise RuntimeError('must not be loaded')\n")
    userscripts.load()
    assert [m.name for m in registry.modules()] == ["absolute", "relative"]
    assert registry.callable("absolute")() == "A!"
    assert registry.callable("relative")() == "R!"
    assert "userscripts.helpers.text" in registry.get("absolute").imports


def test_receivers_are_recorded_and_unloaded(userscripts, db):
    userscripts.write("hooks.py", """
        from django.contrib.auth.models import Group
        from django.dispatch import receiver
        from netbox_userscripts.signals import post_save, pre_save

        CALLS = []

        @receiver(post_save, sender=Group)
        def group_saved(sender, instance, created, **kwargs):
            CALLS.append(("post", instance.name, created))

        @receiver(pre_save)
        def anything(sender, **kwargs):
            CALLS.append(("pre", sender.__name__))
    """)
    userscripts.load()
    script = registry.get("hooks")
    assert script.receivers == [
        {"signal": "post_save", "sender": "auth.Group", "receiver": "group_saved"},
        {"signal": "pre_save", "sender": "any sender", "receiver": "anything"},
    ]
    Group.objects.create(name="first")
    assert script.module.CALLS == [("pre", "Group"), ("post", "first", True)]
    registry.unload("hooks")
    assert registry.get("hooks") is None
    Group.objects.create(name="second")
    assert script.module.CALLS == [("pre", "Group"), ("post", "first", True)]
    assert not [r for r in post_save.receivers if getattr(r[1], "owner", None) and r[1].owner.module_name == "hooks"]


def test_reload_swaps_receivers_and_a_failed_version_keeps_the_old(userscripts, db):
    source = """
        from django.contrib.auth.models import Group
        from django.dispatch import receiver
        from netbox_userscripts.signals import post_save
        import sys

        @receiver(post_save, sender=Group)
        def saved(sender, instance, **kwargs):
            sys._userscripts_calls.append({version})

        def call(**kwargs):
            return {version}
    """
    sys._userscripts_calls = []
    try:
        userscripts.write("versioned.py", source.format(version=1))
        userscripts.load()
        Group.objects.create(name="a")
        userscripts.write("versioned.py", source.format(version=2))
        registry.load("versioned")
        Group.objects.create(name="b")
        assert sys._userscripts_calls == [1, 2]  # the old receiver is gone, not called twice
        userscripts.write("versioned.py", "def broken(:\n")
        failed = registry.load("versioned")
        assert failed.state == "error"
        assert registry.get("versioned").loaded and registry.callable("versioned")() == 2
        assert registry.describe()[0]["pending_error"].startswith("SyntaxError")
        Group.objects.create(name="c")
        assert sys._userscripts_calls == [1, 2, 2]
    finally:
        del sys._userscripts_calls


def test_a_receiver_without_kwargs_fails_the_module(userscripts):
    userscripts.write("nokwargs.py", """
        from netbox_userscripts.signals import pre_save
        def bad(sender, instance):
            pass
        pre_save.connect(bad)
    """)
    userscripts.load()
    assert registry.get("nokwargs").state == "error"
    assert "keyword arguments" in registry.get("nokwargs").error
    assert not any("nokwargs" in repr(r) for r in pre_save.receivers)


def test_a_file_that_goes_live_is_one_line_saying_what_it_defines(userscripts):
    userscripts.write("hello.py", """
        from django.contrib.auth.models import Group
        from netbox_userscripts.signals import post_save
        def saved(sender, **kwargs): pass
        post_save.connect(saved, sender=Group)
        def call(**kwargs): return "hi"
    """)
    userscripts.load()  # a start-up: each process would say it, so none does
    assert not userscripts.log.exists() or "hello.py loaded" not in userscripts.log.read_text()
    registry.load("hello")  # an edit went live
    [line] = [x for x in userscripts.log.read_text().splitlines() if "hello.py loaded" in x]
    assert re.search(rf"INFO hello.py: hello.py loaded: 1 receiver, call\(\) \(\S+, pid {os.getpid()}\)$", line)
    userscripts.write("hello.py", "def call(:\n")
    registry.load("hello")
    assert re.search(r"ERROR hello.py: failed to load hello.py: SyntaxError: .*; the previous version keeps running "
                     rf"\(\S+, pid {os.getpid()}\)\n  Traceback", userscripts.log.read_text())
    assert registry.get("hello").loaded
