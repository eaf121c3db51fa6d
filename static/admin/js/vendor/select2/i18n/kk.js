/*! Select2 4.0.13 | https://github.com/select2/select2/blob/master/LICENSE.md */
/* Kazakh for the admin's autocomplete pickers (select2 ships none): written for Saylau in the
   shape of select2's own i18n files; core.apps registers "kk" with Django's select2 languages. */

!function(){if(jQuery&&jQuery.fn&&jQuery.fn.select2&&jQuery.fn.select2.amd)var n=jQuery.fn.select2.amd;n.define("select2/i18n/kk",[],function(){return{errorLoading:function(){return"Нәтижелерді жүктеу мүмкін болмады"},inputTooLong:function(e){return"Артық "+(e.input.length-e.maximum)+" таңбаны өшіріңіз"},inputTooShort:function(e){return"Тағы кемінде "+(e.minimum-e.input.length)+" таңба теріңіз"},loadingMore:function(){return"Тағы нәтижелер жүктелуде…"},maximumSelected:function(e){return"Ең көбі "+e.maximum+" нысан таңдауға болады"},noResults:function(){return"Ештеңе табылмады"},searching:function(){return"Іздеу…"},removeAllItems:function(){return"Барлығын алып тастау"}}}),n.define,n.require}();
