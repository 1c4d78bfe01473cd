// Moves the comment form under the comment being replied to. Without this script the
// "Reply" links still work: they reload the page with the form set up for the reply.
(function () {
  "use strict";
  var respond = document.getElementById("respond");
  var form = document.getElementById("commentform");
  if (!respond || !form) return;
  var title = document.getElementById("reply-title-text");
  var cancel = document.getElementById("cancel-comment-reply-link");
  var parent = document.getElementById("comment_parent");
  var home = document.createElement("div");
  home.id = "respond-home";
  respond.parentNode.insertBefore(home, respond);

  function reset() {
    home.parentNode.insertBefore(respond, home.nextSibling);
    parent.value = "";
    title.textContent = "Leave a Reply";
    cancel.hidden = true;
  }

  document.addEventListener("click", function (event) {
    // A Reply link: <a href="?replytocom=ID#respond"> in the comment <li id=comment-ID>,
    // whose <b> holds the commenter's name; the form goes after the comment's own
    // content, before the list of its replies.
    var link = event.target.closest('#comments li > a[href^="?replytocom="]');
    if (link) {
      event.preventDefault();
      var comment = link.closest("li");
      var replies = comment.querySelector(":scope > ol");
      comment.insertBefore(respond, replies);
      parent.value = comment.id.slice("comment-".length);
      title.textContent = "Leave a Reply to " + comment.querySelector(":scope > b").textContent;
      cancel.hidden = false;
      document.getElementById("comment").focus();
    } else if (event.target === cancel) {
      event.preventDefault();
      reset();
      history.replaceState(null, "", location.pathname + "#respond");
    }
  });
})();
