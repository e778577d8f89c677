// Oscar's own behaviours (ui.js) on the shop's pages, without an inline script.
$(function () { oscar.init(); });
